"""Learning from a lifter's corrections: the phrase they said becomes their own alias."""
