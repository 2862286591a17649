"""Face verification's engine: plain arrays in, plain results out (no Django models here).

``engine`` finds, checks and encodes faces (dlib through face_recognition), ``matching`` says how close two
encodings must be, ``liveness`` reads a head turn from a few frames, ``image`` turns uploaded bytes into an
RGB array, ``samples`` loads the two test faces that ship inside installed packages. docs/face-verification.md
says how the thresholds were chosen.
"""
