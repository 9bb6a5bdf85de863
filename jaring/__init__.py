"""Jaring: enrol Indonesia's informal workers (BPU) into workers' social security and keep them covered."""

__version__ = "0.1.0"
