"""What a stage states instead of raising: a model asked outside its range.

Every stage uses this one form, so that every later capability (radiation,
cost, ...) reports the limits of its models the same way: what was asked,
the range the model is fitted for, and what the planner took instead.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class OutOfRange:
    """A model asked outside the range it is fitted for, and what was taken instead.

    ``quantity`` is the input as the design names it (``"altitude_km"``),
    ``value`` what the design asks, ``valid`` the model's range ``(low, high)``
    in the same unit, ``taken_as`` what the planner used instead (one phrase).
    """

    model: str
    quantity: str
    value: float
    valid: tuple[float, float]
    taken_as: str

    @property
    def message(self) -> str:
        """One line for people: the model, its range, the value asked and what was taken."""
        low, high = self.valid
        return (
            f"{self.model} is fitted for {self.quantity} {low:,.0f} to {high:,.0f}; "
            f"this reaches {self.value:,.0f}: {self.taken_as}"
        )
