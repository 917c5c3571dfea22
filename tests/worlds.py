"""Small shared worlds: a few rows built with ``tests.factories`` that several test modules
read the same way. Each module asks for one through a fixture of its own."""

from __future__ import annotations

import datetime as dt

from tests.factories import add_participant, make_meeting, make_participant, make_utterance


def pipeline_world() -> dict:
    """Three meetings: talks with Xi (2014, a long turn with "pipeline" in the middle and a
    turn that would start a spreadsheet formula), talks with Erdogan (2017, "A pipeline."),
    and a telephone call with China (2018, a readout). Erdogan took part but never spoke."""
    putin = make_participant("Vladimir Putin", country="RU")
    xi = make_participant("Xi Jinping", country="CN")
    erdogan = make_participant("Recep Tayyip Erdogan", country="TR")
    china = make_meeting(
        kremlin_id=70001, date=dt.date(2014, 5, 20), countries=("CN",), title="Talks with Xi"
    )
    add_participant(china, xi)
    make_utterance(
        china,
        speaker=putin,
        speaker_label="Vladimir Putin",
        text=" ".join(f"before{i}" for i in range(40))
        + " the pipeline to China "
        + " ".join(f"after{i}" for i in range(40)),
    )
    make_utterance(china, speaker=xi, speaker_label="Xi Jinping", text="=SUM(A1) pipeline gas")
    turkey = make_meeting(
        kremlin_id=70002, date=dt.date(2017, 4, 8), countries=("TR",), title="Talks with Erdogan"
    )
    add_participant(turkey, erdogan)
    make_utterance(turkey, speaker=putin, speaker_label="Vladimir Putin", text="A pipeline.")
    call = make_meeting(
        kremlin_id=70003, date=dt.date(2018, 1, 1), countries=("CN",), kind="telephone"
    )
    return {"putin": putin, "xi": xi, "erdogan": erdogan, "china": china, "turkey": turkey,
            "call": call}  # fmt: skip
