"""Pure analytical libraries: numpy in, plain dataclasses out; no Django imports."""
