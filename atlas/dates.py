"""Dates as the site writes them for readers: in English, whatever the machine's locale."""
from __future__ import annotations

from datetime import date

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def long_date(value: date) -> str:
    """"May 15, 2026". Not strftime's %B, which follows the process's LC_TIME: a program that sets the
    locale (setlocale(LC_ALL, "")) would otherwise publish its users' month names, machine by machine."""
    return f"{MONTHS[value.month - 1]} {value.day}, {value.year}"
