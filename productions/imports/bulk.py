"""Working through a long file: the cycle collector paused while its rows' objects pile up."""

import contextlib
import gc


@contextlib.contextmanager
def collector_paused():
    """Pause Python's cycle collector while a file is read, planned or committed.

    Every row leaves a few dozen objects that live until the end (cells, values, a use, its plan), and none of them
    is garbage in a cycle; the collector would walk them all again each time their number grew by a quarter: a third
    of the plan of 50,000 rows (bench/imports.py). Reference counting still frees everything as usual; the collector
    resumes when the work is done, also on an error.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
