"""The civil registry: a citizen's reference photo by national ID. Plain values in and out (no Django models).

``client.photo_fetch(national_id) -> bytes`` (the JPEG) or one of ``errors``' exceptions. The protocol is Raksa's
own assumption (the real registry's interface is not public; this client is the one place to adapt it):
docs/architecture.md, "Civil registry". Outside production the settings point at the local stand-in
(civil_registry_standin/, port 8101).
"""
