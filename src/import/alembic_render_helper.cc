// The Python program that renders Alembic revisions offline (alembic_render.h
// runs it). Kept in the binary so `retort import alembic` needs no installed
// data file: only a Python with Alembic and SQLAlchemy, at import time.
#include "import/alembic_render.h"

namespace retort::import {

// Protocol: argv = [dialect, list_file, out_file]. list_file holds one
// revision file path per line. out_file receives records "NAME LENGTH\n"
// followed by LENGTH bytes of value and "\n"; each revision starts with a
// "file" record. Exit 3: Alembic or SQLAlchemy cannot be imported (stderr
// says which). The revisions' own prints go to stderr.
//
// Neutral environment: each upgrade()/downgrade() runs under an
// EnvironmentContext of its own (as_sql, the dialect, literal binds: what
// Alembic's generic env.py does offline), never the project's env.py,
// which imports the application.
const char kAlembicRenderHelper[] = R"PY(
import contextlib, io, os, sys, traceback, types


class NeedsHand(Exception):
    pass


def record(out, name, value):
    data = value.encode("utf-8", "surrogateescape")
    out.write(("%s %d\n" % (name, len(data))).encode("ascii"))
    out.write(data)
    out.write(b"\n")


def where(exc, path):
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if os.path.abspath(frame.filename) == path:
            line = frame.lineno
    return " (line %d)" % line if line else ""


def reason_of(exc, path):
    if isinstance(exc, NeedsHand):
        return str(exc) + where(exc, path)
    if isinstance(exc, ImportError):
        name = getattr(exc, "name", None) or str(exc)
        return ("imports '%s', which cannot be imported without the application"
                % name) + where(exc, path)
    text = str(exc).splitlines()[0] if str(exc) else ""
    return "%s%s%s" % (type(exc).__name__, ": " + text if text else "", where(exc, path))


def main():
    dialect, list_file, out_file = sys.argv[1:4]
    try:
        import sqlalchemy  # noqa: F401
        from alembic.config import Config
        from alembic.operations import Operations
        from alembic.runtime.environment import EnvironmentContext
        from alembic.runtime.migration import MigrationContext
    except ImportError as e:
        sys.stderr.write("%s\n" % e)
        sys.exit(3)

    state = {"autocommit": False, "offline_check": False}

    class OfflineBind:
        """What op.get_bind() gives offline: the dialect (revisions often
        branch on it), and a clear refusal for anything needing a
        connection (execute, an ORM session, inspection)."""

        def __init__(self, dialect):
            self.dialect = dialect

        @property
        def engine(self):
            return self

        @property
        def name(self):
            return self.dialect.name

        def __getattr__(self, attr):
            raise NeedsHand("uses op.get_bind().%s (it needs a live database connection)"
                            % attr)

    def no_bind(self):
        return OfflineBind(self.migration_context.dialect)

    @contextlib.contextmanager
    def autocommit_block(self):
        state["autocommit"] = True
        yield

    is_offline_mode = EnvironmentContext.is_offline_mode

    def offline_check(self):
        state["offline_check"] = True
        return is_offline_mode(self)

    Operations.get_bind = no_bind
    MigrationContext.autocommit_block = autocommit_block
    EnvironmentContext.is_offline_mode = offline_check

    with open(list_file, encoding="utf-8") as f:
        paths = [line for line in f.read().split("\n") if line]
    real_stdout = sys.stdout
    sys.stdout = sys.stderr
    config = Config()
    out = open(out_file, "wb")
    for path in paths:
        path = os.path.abspath(path)
        record(out, "file", path)
        try:
            with open(path, "rb") as f:
                source = f.read()
            code = compile(source, path, "exec")
        except SyntaxError as e:
            record(out, "syntax_error", "%s:%s: %s" % (path, e.lineno, e.msg))
            continue
        except (OSError, ValueError) as e:
            record(out, "syntax_error", "%s: %s" % (path, e))
            continue
        module = types.ModuleType("retort_import_revision")
        module.__file__ = path
        try:
            exec(code, module.__dict__)
        except BaseException as e:  # noqa: B902 (a revision may sys.exit)
            record(out, "module_error", reason_of(e, path))
            continue
        for direction in ("upgrade", "downgrade"):
            fn = module.__dict__.get(direction)
            if not callable(fn):
                record(out, direction + "_missing", "no %s() function" % direction)
                continue
            state["autocommit"] = False
            state["offline_check"] = False
            buf = io.StringIO()
            env = EnvironmentContext(config, None, as_sql=True)
            try:
                with env:
                    env.configure(dialect_name=dialect, output_buffer=buf,
                                  literal_binds=True)
                    with Operations.context(env.get_context()):
                        fn()
                if state["offline_check"]:
                    raise NeedsHand("branches on context.is_offline_mode(), so its online "
                                    "path cannot be rendered")
            except NotImplementedError as e:
                record(out, direction + "_irreversible",
                       "raises NotImplementedError" + (": %s" % e if str(e) else ""))
                continue
            except BaseException as e:  # noqa: B902
                record(out, direction + "_error", reason_of(e, path))
                continue
            record(out, direction, buf.getvalue())
            if state["autocommit"]:
                record(out, direction + "_autocommit", "1")
    out.close()
    real_stdout.flush()


main()
)PY";

}  // namespace retort::import
