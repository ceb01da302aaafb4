"""sitroom: a sourced, time-ordered, geolocated picture of a developing situation from news reports."""

__version__ = "0.1.0"
