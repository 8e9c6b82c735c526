"""Trained components: features of candidate events, the detector, and their training."""
