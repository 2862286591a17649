"""python -m civil_registry_standin --port 8101 (options: --help)."""

from civil_registry_standin.server import parse_args, serve

if __name__ == "__main__":
    serve(parse_args())
