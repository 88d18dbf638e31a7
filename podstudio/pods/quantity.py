"""PLACEHOLDER — being written (Kubernetes quantities)."""

from decimal import Decimal


class QuantityError(ValueError):
    pass


def parse_quantity(value: str | int | float) -> Decimal:
    raise NotImplementedError
