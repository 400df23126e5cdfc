"""Attacks on the forum, one module per hole, each test named for the attack and asserting the defended behaviour."""
