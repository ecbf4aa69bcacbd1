"""Swedish number formatting for what people read: "65 100 kr", "2,45 dagar".

A space between thousands and a decimal comma (Språkrådet); exact Decimals in, text out.
"""

from __future__ import annotations

from decimal import Decimal


def sek(amount: int | Decimal | None) -> str:
    """55 350, 8 200,50: whole kronor without decimals, öre with two."""
    if amount is None:
        return "–"
    text = f"{amount:,.0f}" if Decimal(amount) == int(amount) else f"{amount:,.2f}"
    return text.replace(",", " ").replace(".", ",")


def kronor(amount: int | Decimal | None) -> str:
    return "–" if amount is None else f"{sek(amount)} kr"


def days(value: Decimal | None) -> str:
    """2,45: days to two decimals."""
    return "–" if value is None else f"{value:.2f}".replace(".", ",")
