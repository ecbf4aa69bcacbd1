"""A small hand-made episode file, Region Dalarna, February and March 2020, and one of the
baseline year 2017: each episode's national ready days worked out by hand beside it. Shared with
tests/browser/test_dashboard.py."""

from __future__ import annotations

from utskrivning.domain.identity import check_digit


def personal_number(n: int) -> str:
    head = f"400101{n:03d}"
    return f"19{head}{check_digit(head)}"


HEADER = (
    "episode_id,patient_id,municipality,care_type,unit,admitted_at,admission_notice_at,"
    "ready_at,discharged_at,status"
)
# (id, municipality, care, admitted, ready, discharged); national ready days in the comment.
EPISODES = (
    ("F1", "2080", "somatic", "2020-03-01 08:00", "2020-03-03 10:00", "2020-03-05 12:00"),  # 2
    ("F2", "2080", "somatic", "2020-03-02 08:00", "2020-03-04 15:00", "2020-03-04 18:00"),  # 0
    ("F3", "2080", "psychiatric", "2020-03-01 08:00", "2020-03-02 10:00", "2020-03-12 09:00"),  # 10
    ("F4", "2080", "somatic", "2020-02-10 08:00", "2020-02-12 10:00", "2020-02-15 10:00"),  # 3
    ("B1", "2081", "somatic", "2020-03-01 08:00", "2020-03-02 09:00", "2020-03-09 11:00"),  # 7
    ("B2", "2081", "geriatric", "2020-03-05 08:00", "2020-03-06 09:00", "2020-03-06 16:00"),  # 0
    ("B3", "2081", "somatic", "2020-03-20 08:00", "", ""),  # still in hospital: in no month
)
# The baseline year 2017, other patients: February and March against 2020's, May outside them.
BASELINE_EPISODES = (
    ("G1", "2080", "somatic", "2017-03-01 08:00", "2017-03-02 10:00", "2017-03-08 12:00"),  # 6
    ("G2", "2080", "psychiatric", "2017-03-01 08:00", "2017-03-01 10:00", "2017-03-13 09:00"),  # 12
    ("G3", "2081", "somatic", "2017-03-02 08:00", "2017-03-03 10:00", "2017-03-04 12:00"),  # 1
    ("G4", "2080", "somatic", "2017-02-08 08:00", "2017-02-10 10:00", "2017-02-12 10:00"),  # 2
    ("G5", "2081", "somatic", "2017-05-01 08:00", "2017-05-02 10:00", "2017-05-22 10:00"),  # 20
)


def episode_file(episodes: tuple[tuple[str, ...], ...] = EPISODES, *, first: int = 1) -> bytes:
    """`episodes` as an episode file; patients numbered from `first`, one per episode."""
    rows = [HEADER]
    for n, (eid, code, care, admitted, ready, discharged) in enumerate(episodes, start=first):
        notice = admitted[:11] + "09:30"
        status = "UTFÖRD" if discharged else ""
        rows.append(
            f"{eid},{personal_number(n)},{code},{care},Medicinavdelning 12,{admitted},"
            f"{notice},{ready},{discharged},{status}"
        )
    return ("\n".join(rows) + "\n").encode()
