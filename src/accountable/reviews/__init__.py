"""Performance reviews: cycles, self- and manager assessments side by side, agreed outcomes."""
