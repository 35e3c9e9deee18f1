#!/usr/bin/env python3
"""Recording SMTP sink on aiosmtpd, for the email fixtures (scripts/record-email-fixtures.sh) and Klaxon's email
delivery tests.

Usage: smtp-sink.py PORT OUTDIR [--starttls CERT KEY | --implicit-tls CERT KEY] [--auth USER:PASSWORD]
                    [--auth-exclude MECH,...] [--fail STAGE:CODE]

Every message is saved as OUTDIR/<case>.<n>.eml (the DATA content, byte for byte, CRLF line ends as sent) and
OUTDIR/<case>.<n>.envelope (JSON: the EHLO/HELO name, MAIL FROM, RCPT TOs, whether the session was encrypted, the
AUTH user and mechanism, and the conversation: every command line the client sent up to DATA, and its answers to AUTH
challenges, as sent), where <case> is the local part of the first recipient. Without options the sink offers neither
STARTTLS nor AUTH.

AUTH LOGIN asks "Username:" and "Password:" as Postfix, Dovecot and Exchange do (aiosmtpd's own "User Name" is refused
by Go's client), and CRAM-MD5's challenge is always the same string, so that a recorded conversation can be compared
byte for byte.

  --starttls CERT KEY     offer STARTTLS with this certificate (PEM files); messages are accepted without it too
  --implicit-tls CERT KEY TLS from the first byte (smtps, as on port 465)
  --auth USER:PASSWORD    offer AUTH (PLAIN, LOGIN and CRAM-MD5) and require it before MAIL; over plain text too
  --auth-exclude MECHS    comma-separated mechanisms not to offer
  --fail STAGE:CODE       answer MAIL, RCPT or DATA (the end of the message) with this reply code

Prints "ready" once it listens. SIGTERM stops it at once."""
import argparse, base64, hashlib, hmac, json, os, signal, ssl, sys, threading, time
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword, MISSING

parser = argparse.ArgumentParser()
parser.add_argument("port", type=int)
parser.add_argument("outdir")
parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
parser.add_argument("--implicit-tls", nargs=2, metavar=("CERT", "KEY"))
parser.add_argument("--auth")
parser.add_argument("--auth-exclude", default="")
parser.add_argument("--fail", default="")
args = parser.parse_args()

lock = threading.Lock()
counts = {}
user, password = (args.auth.split(":", 1) if args.auth else (None, None))
fail_stage, _, fail_code = args.fail.partition(":")
FAIL_TEXT = {"4": "4.3.0 try again later (sink)", "5": "5.7.1 refused (sink)"}


def failure(stage):
    if fail_stage == stage:
        return "%s %s" % (fail_code, FAIL_TEXT.get(fail_code[:1], "refused (sink)"))
    return None


class Recorder:
    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        refused = failure("mail")
        if refused:
            return refused
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refused = failure("rcpt")
        if refused:
            return refused
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        refused = failure("data")
        if refused:
            return refused
        case = envelope.rcpt_tos[0].split("@")[0] if envelope.rcpt_tos else "none"
        with lock:
            n = counts.get(case, 0)
            counts[case] = n + 1
        os.makedirs(args.outdir, exist_ok=True)
        with open(os.path.join(args.outdir, f"{case}.{n}.eml"), "wb") as f:
            f.write(envelope.original_content)
        encrypted = session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None
        login = session.login_data.decode() if isinstance(session.login_data, bytes) else session.login_data
        record = {"hello": session.host_name, "mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                  "conversation": list(server.conversation)}
        if args.starttls or args.implicit_tls or args.auth:
            record.update(tls=encrypted, auth_login=login, auth_mechanism=getattr(session, "mechanism", None))
        with open(os.path.join(args.outdir, f"{case}.{n}.envelope"), "w") as f:
            json.dump(record, f, indent=1)
            f.write("\n")
        return "250 OK"

    async def auth_CRAM__MD5(self, server, _args):
        challenge = CRAM_MD5_CHALLENGE
        response = await server.challenge_auth(challenge)
        if response is MISSING:
            return AuthResult(success=False, handled=True)
        login, _, digest = response.decode(errors="replace").rpartition(" ")
        expected = hmac.new(password.encode(), challenge, hashlib.md5).hexdigest()
        ok = login == user and hmac.compare_digest(digest, expected)
        if ok:
            server.session.mechanism = "CRAM-MD5"
        return AuthResult(success=ok, handled=False, auth_data=LoginPassword(login.encode(), b""))


CRAM_MD5_CHALLENGE = b"<1896.697170952@smtp-sink.test>"


class RecordingSMTP(SMTP):
    """aiosmtpd's server, keeping the client's side of the conversation (one instance per connection; it survives
    STARTTLS) and asking for LOGIN's user name and password as common servers do."""
    AuthLoginUsernameChallenge = "Username:"
    AuthLoginPasswordChallenge = "Password:"

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.conversation = []
        for verb, method in list(self._smtp_methods.items()):
            self._smtp_methods[verb] = self._recorded(verb, method)

    def _recorded(self, verb, method):
        async def run(arg):
            self.conversation.append(verb if arg is None else "%s %s" % (verb, arg))
            return await method(arg)
        return run

    async def challenge_auth(self, challenge, encode_to_b64=True, log_client_response=False):
        response = await super().challenge_auth(challenge, encode_to_b64, log_client_response)
        self.conversation.append("*" if response is MISSING else base64.b64encode(response).decode())
        return response


class RecordingController(Controller):
    def factory(self):
        return RecordingSMTP(self.handler, **self.SMTP_kwargs)


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
        and auth_data.password.decode() == password
    if ok:
        session.mechanism = mechanism
    # handled=False: aiosmtpd then answers a failure with 535 (with the default, it answers nothing).
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


def context(pair):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(pair[0], pair[1])
    return ctx


kwargs = {}
if args.starttls:
    kwargs.update(tls_context=context(args.starttls), require_starttls=False)
if args.implicit_tls:
    kwargs.update(ssl_context=context(args.implicit_tls))
if args.auth:
    kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=False,
                  auth_exclude_mechanism=[m for m in args.auth_exclude.split(",") if m])
else:
    kwargs.update(auth_exclude_mechanism=["CRAM-MD5"])

handler = Recorder()
if not args.auth:
    # No AUTH at all: drop the handler's CRAM-MD5 hook so EHLO advertises nothing.
    del Recorder.auth_CRAM__MD5
controller = RecordingController(handler, hostname="127.0.0.1", port=args.port, decode_data=False, **kwargs)
# aiosmtpd's event loop thread keeps the process alive on SIGTERM: leave at once. A parent that blocks SIGTERM (the
# Swift test runner does) passes the blocked mask on: unblock it, or the sink cannot be stopped.
signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
controller.start()
print("ready", flush=True)
while True:
    signal.pause()
