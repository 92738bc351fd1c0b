"""Choosing an instrument: the questionnaire, its scoring, knock-outs, legal screens and catalogue.

Modules: ``scoring`` (answers, scores, stability, what would change, legal screens, words),
``catalogue`` (the instrument catalogue), ``charts`` (the ranking chart). May import the shared
kernel and ``engine.output``; nothing from the other capabilities.
"""
