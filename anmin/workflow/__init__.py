"""Shared layer: the case engine (Case, CaseEvent, workflows as data, time limits, supervision)."""
