"""Writes the sample shot lists in this folder: `.venv/bin/python tests/data/make_samples.py`.

Each file looks like what its tracker exports (column names, id styles, statuses, custom fields for the
AI facts); the XLSX files keep ids as text cells, except one typed as a number and formatted "0000",
as happens when someone types 0040 into Excel. The files are committed; this script documents how
they were made and rebuilds them after a change.
"""

import csv
import uuid
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent


def write_csv(name, headers, rows):
    with open(HERE / name, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(headers)
        writer.writerows(rows)


def write_xlsx(name, headers, rows, *, numeric=(), padded=None):
    """`numeric`: columns written as numbers; `padded`: (row index, column) typed as a number shown as 0000."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Export"
    sheet.append(headers)
    for index, row in enumerate(rows):
        values = [int(value) if headers[col] in numeric and value else value for col, value in enumerate(row)]
        sheet.append(values)
        if padded and padded[0] == index:
            cell = sheet.cell(row=index + 2, column=headers.index(padded[1]) + 1)
            cell.value = int(cell.value)
            cell.number_format = "0000"
    workbook.save(HERE / name)


# Kitsu: "The Lanterns of Marrow Bay", season 2, an animated series whose backgrounds start from a
# style model trained on season 1 paintings. Shot names repeat from one sequence to the next.
KITSU_HEADERS = [
    "Project", "Episode", "Sequence", "Name", "Description", "Frame In", "Frame Out", "FPS", "Nb Frames",
    "Layout", "Background", "Compositing", "AI Use", "AI Tool", "Digital Source", "Final",
]  # fmt: skip
KITSU_NAMES = ["001", "0010", "0020", "SH0040", "0050", "0060"]
KITSU_SHOTS = [
    ("Harbour at dusk, wide", "Generated harbour background, repainted by the BG team"),
    ("Lantern market, crowd", "Generated market stalls, set dressing repainted"),
    ("Lighthouse interior", "Generated lighthouse interior textures"),
    ("Cliff path, storm", "Generated storm sky, matte painted over"),
    ("Boat deck, night", "Generated sea surface texture"),
    ("Fog bank, establishing", "Generated fog layers, composited"),
]


def kitsu_rows():
    rows, frame = [], 1001
    for episode in ("E201", "E202", "E203"):
        for sequence in ("SQ010", "SQ020"):
            for name, (description, ai_use) in zip(KITSU_NAMES, KITSU_SHOTS, strict=True):
                length = 48 + 12 * (len(rows) % 5)
                final = "no" if (episode, name) == ("E203", "0060") else "yes"
                rows.append(
                    [
                        "The Lanterns of Marrow Bay",
                        episode,
                        sequence,
                        name,
                        description,
                        str(frame),
                        str(frame + length - 1),
                        "24",
                        str(length),
                        "done",
                        "wip" if len(rows) % 4 else "done",
                        "todo" if len(rows) % 3 else "wip",
                        ai_use,
                        "Marrow Bay style model",
                        "compositeWithTrainedAlgorithmicMedia",
                        final,
                    ]
                )
                frame += length
    return rows


# ShotGrid (Flow Production Tracking): "El Eternauta" VFX shots; "AI Usage", "AI Tool", ... are the
# studio's custom fields. Shot codes mix styles, as vendors deliver them.
SHOTGRID_HEADERS = [
    "Id", "Shot Code", "Sequence", "Description", "Cut In", "Cut Out", "Status", "Task Template",
    "AI Usage", "AI Tool", "Source Type", "Deep Fake", "Final", "Human Contribution",
]  # fmt: skip
SHOTGRID_CODES = ["SH0010", "SH0020", "SH0030", "SH0040", "0050", "SH0060", "SH0070", "0080"]
SHOTGRID_WORK = [
    ("Building collapse, wide", "Generated building collapse", "trainedAlgorithmicMedia", "yes"),
    ("Snowfall over Avenida", "Generated toxic snowfall layers", "compositeWithTrainedAlgorithmicMedia", "no"),
    ("Rooftop escape", "- sky replaced with generated storm clouds", "compositeWithTrainedAlgorithmicMedia", "no"),
    ("Crowd in the square", "Generated background crowd extension", "compositeWithTrainedAlgorithmicMedia", "no"),
]


def shotgrid_rows():
    rows, cut = [], 1009
    for sequence in ("SQ030", "SQ040", "SQ050", "SQ060"):
        for code in SHOTGRID_CODES:
            description, usage, source, deep_fake = SHOTGRID_WORK[len(rows) % len(SHOTGRID_WORK)]
            length = 60 + 8 * (len(rows) % 6)
            rows.append(
                [
                    str(5201 + len(rows)),
                    f"{sequence}_{code}",
                    sequence,
                    description,
                    str(cut),
                    str(cut + length - 1),
                    ("ip", "fin", "rev", "apr")[len(rows) % 4],
                    "VFX Shot - Comp",
                    usage,
                    "Runway",
                    source,
                    deep_fake,
                    "Yes" if len(rows) % 7 else "No",
                    "Compositors selected and graded the generated frames against the plate.",
                ]
            )
            cut += length
    return rows


# ftrack: "The Iron Wanderer", season 2; "ai_use", "ai_tool", ... are custom attributes. The export
# lists the parent before the name, so "Parent" + "Name" reads as the shot ("sq030/0010").
FTRACK_HEADERS = [
    "ID", "Parent", "Name", "Type", "Status", "Description", "fstart", "fend",
    "ai_use", "ai_tool", "ai_output", "ai_source_type", "final",
]  # fmt: skip
FTRACK_WORK = [
    ("Robot arm replaced", "Character replacement of the mocap performer", "Flow Studio (formerly Wonder Studio)"),
    ("Dust storm upscaled", "Archive dust storm upscaled to 4K", "Topaz Video AI"),
    ("Outpost market crowd", "Crowd extension from generated figures", "Runway"),
]


def ftrack_rows():
    rows, frame = [], 1001
    names = ["0010", "0020", "0030", "0040", "0050", "0060", "0070"]
    for parent in ("sq020", "sq030", "sq041", "sq050"):
        for name in names:
            description, ai_use, tool = FTRACK_WORK[len(rows) % len(FTRACK_WORK)]
            length = 72 + 6 * (len(rows) % 4)
            rows.append(
                [
                    str(uuid.uuid5(uuid.NAMESPACE_URL, f"ftrack/iron-wanderer/{parent}/{name}")),
                    parent,
                    name,
                    "Shot",
                    ("In progress", "Pending review", "Approved", "Not started")[len(rows) % 4],
                    description,
                    str(frame),
                    str(frame + length - 1),
                    ai_use,
                    tool,
                    "video",
                    "algorithmicallyEnhanced" if "upscaled" in ai_use else "compositeWithTrainedAlgorithmicMedia",
                    "false" if len(rows) % 9 == 0 else "true",
                ]
            )
            frame += length
    return rows


# Our own template, filled in by hand: labels as well as codes, and uses without a tracker id.
TEMPLATE_HEADERS = [
    "id", "external_id", "title", "phase", "department", "description", "shots", "timecode_in", "timecode_out",
    "frame_in", "frame_out", "tool", "output_type", "digital_source_type", "is_final", "human_contribution",
    "performer_use", "deep_fake", "disclosure_method",
]  # fmt: skip
TEMPLATE_ROWS = [
    [
        "",
        "001",
        "Storyboard frames for the opening",
        "Pre-production",
        "Direction",
        "Frames generated from the script",
        "Scenes 1-4",
        "",
        "",
        "",
        "",
        "Midjourney",
        "image",
        "trainedAlgorithmicMedia",
        "no",
        "The director chose and redrew the frames.",
        "none",
        "no",
        "none",
    ],  # noqa: E501
    [
        "",
        "0010",
        "Temp score stems",
        "sound_music",
        "music",
        "",
        "Reel 2",
        "01:10:00:00",
        "01:12:30:00",
        "",
        "",
        "",
        "audio",
        "trainedAlgorithmicMedia",
        "no",
        "",
        "none",
        "not_determined",
        "none",
    ],  # noqa: E501
    [
        "",
        "SH0040",
        "Sky replacement",
        "vfx",
        "Visual effects",
        "Overcast sky replaced",
        "SQ030",
        "",
        "",
        "1001",
        "1096",
        "Runway",
        "video",
        "compositeWithTrainedAlgorithmicMedia",
        "yes",
        "Compositor graded and tracked the sky.",
        "none",
        "no",
        "end_credits",
    ],  # noqa: E501
    [
        "",
        "",
        "Automatic French subtitles, first pass",
        "subtitles_accessibility",
        "accessibility",
        "",
        "",
        "",
        "",
        "",
        "",
        "Whisper (run locally)",
        "text",
        "trainedAlgorithmicMedia",
        "yes",
        "Subtitlers corrected every line.",
        "none",
        "no",
        "none",
    ],  # noqa: E501
    [
        "",
        "",
        "Trailer cut variants",
        "marketing",
        "marketing",
        "Alternative trailer cuts proposed by an editing assistant",
        "",
        "",
        "",
        "",
        "",
        "",
        "video",
        "algorithmicallyEnhanced",
        "yes",
        "The trailer editor chose the cut.",
        "none",
        "no",
        "marketing_notice",
    ],  # noqa: E501
    [
        "",
        "ADR_0007",
        "Dialogue clean-up, scene 12",
        "Sound and music",
        "sound",
        "",
        "Scene 12",
        "00:41:02:10",
        "00:41:40:00",
        "",
        "",
        "RX 11 Advanced",
        "audio",
        "algorithmicallyEnhanced",
        "yes",
        "The re-recording mixer checked every line.",
        "alteration_exempt",
        "no",
        "none",
    ],  # noqa: E501
]


def main():
    write_csv("kitsu_shots.csv", KITSU_HEADERS, kitsu_rows())
    write_xlsx(
        "kitsu_shots.xlsx",
        KITSU_HEADERS,
        kitsu_rows(),
        numeric={"Frame In", "Frame Out", "FPS", "Nb Frames"},
        padded=(1, "Name"),
    )
    write_csv("shotgrid_shots.csv", SHOTGRID_HEADERS, shotgrid_rows())
    write_xlsx("shotgrid_shots.xlsx", SHOTGRID_HEADERS, shotgrid_rows(), numeric={"Id", "Cut In", "Cut Out"})
    write_csv("ftrack_shots.csv", FTRACK_HEADERS, ftrack_rows())
    write_csv("reelproof_template_filled.csv", TEMPLATE_HEADERS, TEMPLATE_ROWS)


if __name__ == "__main__":
    main()
