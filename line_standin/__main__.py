"""python -m line_standin --port 8100 --state-dir var/line-standin (options: --help)."""

from line_standin.app import serve
from line_standin.config import parse_args

if __name__ == "__main__":
    serve(parse_args())
