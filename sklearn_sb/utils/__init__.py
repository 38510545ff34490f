"""Helpers shared by the subpackages: validation, seeds, devices, labels, blocks.

Nothing here is public API; the subpackages import what they need from the
private modules.
"""
