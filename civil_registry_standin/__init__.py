"""A local stand-in for the civil registry's reference photos (no machine here reaches the registry).

A separate program (Python standard library + Pillow; it never imports raksa or Django), started with
``python -m civil_registry_standin --port 8101``. It serves Raksa's civil-registry protocol
(``POST /v1/photo``, see civil_registry_standin/README.md) for the demo citizens, from the portraits shipped in
installed packages (scikit-image's astronaut, matplotlib's Grace Hopper).
"""
