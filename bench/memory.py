"""Peak memory of one PDF render, in a fresh process: `python -m bench.memory <workdir> <document id>`.

Prints {"before_mb", "peak_mb"}: the resident set before the render (Django and WeasyPrint loaded) and
the peak resident set of the process after it (VmHWM), both in MB. Not getrusage's ru_maxrss: on Linux a
child started from a large parent reports the parent's size there, counted before exec.
"""

import json
import sys


def _status_mb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024  # kB
    raise RuntimeError(f"No {field} in /proc/self/status: the memory benchmark needs Linux.")


def main(workdir, document_id):
    from bench import environment

    environment.connect(workdir)
    import weasyprint  # noqa: F401  loaded before the baseline is read, as in a worker

    from disclosure.documents import building
    from disclosure.models import DisclosureDocument

    document = DisclosureDocument.objects.select_related("production").get(id=document_id)
    before = _status_mb("VmRSS")
    building.render(document)
    print(json.dumps({"before_mb": before, "peak_mb": _status_mb("VmHWM")}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
