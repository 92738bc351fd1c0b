"""The decision memo (beslutsunderlag): one scenario's analysis as a document for the nämnd.

``content`` builds the memo as plain data (:func:`~engine.memo.content.build_memo`), independent of
any file format; ``docx`` writes it as a Word document and ``markdown`` as a preview text. May import
the kernel, ``engine.output``, ``engine.savings``, ``engine.instruments``, ``engine.questionnaire`` and
``engine.targets``; never storage, the CLI, ``engine.workshop`` (a workshop arrives as the plain
:class:`~engine.memo.content.WorkshopRecord`), Streamlit, ``ui`` or ``pages``.
"""
