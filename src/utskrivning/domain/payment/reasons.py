"""The words of the invoice basis, shared by the bulk engine and the per-episode explanation.

Templates use `{}` placeholders so that Polars' `pl.format` and Python's `str.format` fill the
same text: the two paths cannot drift apart in what they tell a municipality.
"""

from enum import StrEnum


class Basis(StrEnum):
    AVERAGE = "average"
    INDIVIDUAL = "individual"
    EXCLUDED = "excluded"
    NOT_LIABLE = "not_liable"


NOT_IN_FORCE = "the rulebook is not in force in this month"
NEVER_READY = "no readiness notification: not a ready patient"
NOT_DONE = "contact not closed with status UTFÖRD"
ZERO_DAY = "day zero: zero-day patients are left out"
COUNTED = "counted in the month's average"
INDIVIDUAL_OVER = "more than {} ready days: billed individually for the days beyond {}"
GRACE = "{} grace days, then every calendar day until discharge"
GRACE_NOTIFIED = (
    "{} grace days, the rule in force on the notification date, then every calendar day"
)
NO_INVOICING = "stage '{}' sends no invoices"

# Lag (2017:612) 5 kap.; Dalarna §11 "Kommunens betalningsansvar förutsätter att".
MISSING_ADMISSION_NOTICE = "no admission notice"
MISSING_READINESS = "no readiness notification"
MISSING_NAMED_CONTACT = "no named care contact in primary care before discharge"
MISSING_SIP_SUMMONS = "SIP needed but not summoned"
# A step first taken after discharge was not taken during the stay: counting never started, the
# same as a step never taken (payment-rules.md "Preconditions"), not a stay of 0 ready days.
LATE_ADMISSION_NOTICE = "admission notice sent after discharge"
LATE_SIP_SUMMONS = "SIP summoned after discharge"
PRECONDITIONS_FAILED = "preconditions not met: {}"

# Which precondition moved day 1 past the readiness notification's own (payment-rules.md).
MOVED_BY_ADMISSION_NOTICE = "admission_notice"
MOVED_BY_SIP_SUMMONS = "sip_summons"
