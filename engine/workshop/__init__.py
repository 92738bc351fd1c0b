"""A workshop: several people from different organisations answer the instrument questionnaire and
estimate inputs of one scenario together.

Everything here is pure computation on what the participants gave (no storage, no pages): who may
take part (``roles``), how a group's low / most likely / high estimates become one range
(``pooling``) and where the organisations disagree on the questionnaire (``disagreement``).
"""
