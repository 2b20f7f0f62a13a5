"""The internal evaluation of performance accountability (AKIP): worksheets (LKE) per agency."""
