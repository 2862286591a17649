"""A local stand-in for the LINE platform (no machine here reaches LINE).

A separate program (Python standard library + joserfc; it never imports raksa or Django), started with
``python -m line_standin --port 8100 --state-dir var/line-standin``. It serves the LINE endpoints Raksa
calls (push, reply, profile, rich menu, the LINE Login JWKS and ID-token verify), signs webhook calls to
Raksa as LINE does, and shows a chat viewer at ``/`` where a demo visitor acts as a LINE user. See
line_standin/README.md.
"""
