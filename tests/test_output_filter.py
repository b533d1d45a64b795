"""The one output filter: the same hostile strings, through every command and output path.

Deck names, tags, prompts, answers, key points, file and folder names, settings values and
typed answers all carry escape sequences (CSI, OSC 0, OSC 52 ended by BEL and by ST, DCS), C1
controls (U+0085, the one-byte CSI U+009B and OSC U+009D), BEL, NUL, carriage returns, a bidi
override and Rich markup. Whatever a command prints, in text mode (colour off), with --json and
with --plain, holds no control character but the layout's own newlines (and the tabs of
`sources`), and JSON output reads back to the very strings that went in. In a real terminal
(pexpect) the hostile sequences never reach the screen, whatever Rich and prompt_toolkit draw.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pexpect
import pytest

from ckaquiz.printable import escape_json_controls, neutralise
from tests.safety_helpers import no_builtin_home

# every hostile family in one string (a file name cannot hold "/" or NUL, so it gets its own)
HOSTILE = (
    "\x1b]0;pwned\x07"  # OSC 0: set the window title, ended by BEL
    "\x1b]52;c;cHduZWQ=\x1b\\"  # OSC 52: write the clipboard, ended by ST
    "\x1bP1$r\x1b\\"  # DCS
    "\x1b[2J\x1b[3;7777H"  # CSI: clear the screen, move the cursor
    "\x85\x9b31m\x9d0;t\x9c"  # C1: NEL, one-byte CSI, one-byte OSC ended by one-byte ST
    "\x07\r\b\x7f"  # BEL, carriage return, backspace, DEL (NUL, which no argument can hold: NUL_TEXT)
    "\u202e"  # right-to-left override
    "[bold red]x[/bold red][/]"  # Rich markup, and a closing tag that matches nothing
)
NUL_TEXT = f"{HOSTILE}\x00"
"""For prompts, answers and notes: what a deck name or tag holds, and NUL."""
HOSTILE_NAME = "\x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x07\x9b2J\x85\u202e[bold red]f\r"
SHOWN_MARKUP = "[bold red]x[/bold red][/]"
LAYOUT = {"\n"}
FORBIDDEN = {chr(code) for code in [*range(0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F)]} - LAYOUT
SIGNATURES = ("\x1b]", "\x1bP", "\x1b[3;7777H", "\x1b[2J", "\x07", "\x85", "\x9b", "\x9d", "\x9c", "\x00", "\u202e")
"""What only the hostile strings (never Rich or prompt_toolkit) would put on a terminal."""
NOW = "2025-03-20T09:00:00+00:00"
NEXT_DAY = "2025-03-21T09:00:00+00:00"


def controls_in(text: str, allowed: set[str] = LAYOUT) -> list[str]:
    """The control characters in `text` that are not `allowed`, as their code points."""
    return sorted({f"U+{ord(character):04X}" for character in text if character in FORBIDDEN - allowed})


def yaml_text(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's too), ASCII only."""
    return json.dumps(text)


@dataclass
class Home:
    home: Path
    vault: Path
    deck: Path
    work: Path
    cards: dict[str, dict[str, object]]

    def run(
        self, *arguments: str, input_text: str = "", now: str = NOW, **variables: str
    ) -> subprocess.CompletedProcess[str]:
        environment = dict(os.environ, CKAQUIZ_HOME=str(self.home), CKAQUIZ_NOW=now, NO_COLOR="1", COLUMNS="250")
        environment.update(variables)
        environment.pop("FORCE_COLOR", None)
        return subprocess.run(
            [sys.executable, "-m", "ckaquiz", *arguments],
            input=input_text,
            capture_output=True,
            text=True,
            env=environment,
            cwd=self.work,
            timeout=120,
            check=False,
        )

    def card(self, kind: str) -> str:
        return next(card_id for card_id, record in self.cards.items() if record["kind"] == kind)


def write_decks(root: Path) -> tuple[Path, Path]:
    """A YAML deck of every quiz kind and an Obsidian-style folder, hostile everywhere."""
    deck = root / "hostile.yaml"
    tags = [f"weak{HOSTILE}", "cka/storage"]
    cards = [
        f"  - {{id: basic{number}, front: {yaml_text(f'{NUL_TEXT} front {number}')}, "
        f"back: {yaml_text(f'{NUL_TEXT} back')}, explanation: {yaml_text(f'why {NUL_TEXT}')}}}"
        for number in range(5)
    ]
    deck.write_text(
        f"deck: {yaml_text(f'deck {HOSTILE}')}\n"
        f"tags: {json.dumps(tags)}\n"
        "cards:\n" + "\n".join(cards) + "\n"
        f"  - kind: choice\n    id: choice\n    question: {yaml_text(f'{NUL_TEXT} pick')}\n"
        f"    options: [{yaml_text(f'{NUL_TEXT} one')}, {yaml_text('two')}]\n    answer: two\n"
        f"  - kind: command\n    id: command\n    question: {yaml_text(f'{HOSTILE} list pods')}\n"
        "    answer: kubectl get pods -n kube-system\n"
        f"  - kind: recall\n    id: recall\n    topic: {yaml_text(f'{HOSTILE} topic')}\n"
        f"    notes: {yaml_text(f'- the kubelet {NUL_TEXT} runs static pods' + chr(10) + '- etcd keeps state')}\n",
        encoding="utf-8",
    )
    vault = root / f"vault {HOSTILE_NAME}"
    (vault / f"folder {HOSTILE_NAME}").mkdir(parents=True)
    (vault / f"folder {HOSTILE_NAME}" / f"note {HOSTILE_NAME}.md").write_text(
        f"# Static pods {HOSTILE}\n\n## kubelet {HOSTILE}\n- manifests in /etc/kubernetes/manifests {HOSTILE}\n\n"
        f"What runs static pods {HOSTILE}::the kubelet {HOSTILE}\n",
        encoding="utf-8",
    )
    (vault / f"broken {HOSTILE_NAME}.yaml").write_text("deck: [unclosed\n", encoding="utf-8")
    return deck, vault


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Home]:
    root = tmp_path_factory.mktemp("hostile")
    home = root / "home"
    no_builtin_home(home, "learning_steps = []\nrelearning_steps = []\n")
    work = root / "work"
    work.mkdir()
    deck, vault = write_decks(root)
    made = Home(home=home, vault=vault, deck=deck, work=work, cards={})
    for path in (deck, vault):
        imported = made.run("import", str(path))
        assert imported.returncode == 0, imported.stderr
    listed = made.run("cards", "--json")
    made.cards = {record["id"]: record for record in json.loads(listed.stdout)}
    typed = f"typed {HOSTILE}"
    day_one = made.run(
        "review", "--plain", "--deck", f"deck {HOSTILE}", input_text=f"{typed}\n3\n" * 9 + f"{typed}\n.\n3\n"
    )
    assert day_one.returncode == 0 and day_one.stdout.splitlines()[-1].startswith("reviewed 8 cards"), day_one.stderr
    day_two = made.run("review", "--plain", "--deck", f"deck {HOSTILE}", input_text=f"{typed}\n1\n" * 9, now=NEXT_DAY)
    assert day_two.returncode == 0, day_two.stderr
    yield made


def assert_clean(result: subprocess.CompletedProcess[str], *, allowed: set[str] = LAYOUT) -> None:
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    for name, text in (("stdout", result.stdout), ("stderr", result.stderr)):
        assert controls_in(text, allowed) == [], (name, text[:3000])


def text_paths(made: Home) -> dict[str, list[str]]:
    """Every text-mode command path a hostile string reaches, by name."""
    vault, deck = str(made.vault), str(made.deck)
    return {
        "import summary and warnings (folder and file names)": ["import", vault],
        "import summary (a deck file)": ["import", deck],
        "check (problems naming files)": ["check", vault],
        "decks": ["decks"],
        "decks --markdown (deck names)": ["decks", "--markdown", vault],
        "cards": ["cards"],
        "cards --retired": ["cards", "--retired"],
        "unknown deck error listing deck names": ["cards", "--deck", "nope"],
        "unknown tag error": ["cards", "--tag", f"nope{HOSTILE_NAME}"],
        "unknown card id": ["history", f"nope{HOSTILE_NAME}"],
        "history (points still missed)": ["history", made.card("recall")],
        "stats (weakest tags, their review command, leeches, recall topics)": ["stats"],
        "stats of one deck": ["stats", "--deck", f"deck {HOSTILE}"],
        "export json summary (file name)": ["export", "json", str(made.work / f"out {HOSTILE_NAME}.json")],
        "export csv summary (file name)": ["export", "csv", "--reviews", str(made.work / f"out {HOSTILE_NAME}.csv")],
        "backup summary (file name)": ["backup", str(made.work / f"copy {HOSTILE_NAME}.db")],
        "sources remove of an unknown name": ["sources", "remove", f"nope{HOSTILE_NAME}"],
        "usage error repeating an option": ["study", f"--deck{HOSTILE_NAME}"],
    }


TEXT_PATHS = list(
    text_paths(Home(home=Path("h"), vault=Path("v"), deck=Path("d"), work=Path("w"), cards={"r": {"kind": "recall"}}))
)


# Piped (as here), these print tab-separated lines: a tab between fields, and nowhere else.
TAB_SEPARATED = {"decks": 4, "cards": 4, "cards --retired": 4, "history (points still missed)": 5}


@pytest.mark.parametrize("path", TEXT_PATHS)
def test_text_output_holds_no_control_characters(hostile: Home, path: str) -> None:
    arguments = text_paths(hostile)[path]
    result = hostile.run(*arguments)
    if path in TAB_SEPARATED:
        assert_clean(result, allowed={"\n", "\t"})
        lines = result.stdout.splitlines()
        assert lines and all(line.count("\t") == TAB_SEPARATED[path] for line in lines), result.stdout
    else:
        assert_clean(result)
    assert (result.stdout + result.stderr).strip(), "the path printed something to check"


def test_sources_keep_their_tabs_only(hostile: Home) -> None:
    result = hostile.run("sources")
    assert result.returncode == 0
    assert_clean(result, allowed={"\n", "\t"})
    assert all(line.count("\t") == 2 for line in result.stdout.splitlines()), result.stdout


def test_deck_text_shows_rich_markup_as_written(hostile: Home) -> None:
    decks = hostile.run("decks")
    assert f"deck {SHOWN_MARKUP}" in decks.stdout, decks.stdout
    stats = hostile.run("stats")
    assert "weak" in stats.stdout and "ckaquiz review --tag" in stats.stdout, stats.stdout
    assert "[bold red]x[/bold red]" in stats.stdout


@pytest.mark.parametrize("kind", ["recall", "choice", "command", "basic"])
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_score_prints_key_points_and_answers_filtered(hostile: Home, kind: str, as_json: bool) -> None:
    result = hostile.run("score", hostile.card(kind), *(["--json"] if as_json else []), input_text=f"kubelet {HOSTILE}")
    assert_clean(result)
    if kind == "basic":
        assert result.returncode == 1  # graded by the learner alone: one error line
        return
    assert result.returncode == 0, result.stderr
    if as_json:
        json.loads(result.stdout)


@pytest.mark.parametrize(
    "arguments",
    [["cards", "--json"], ["cards", "--json", "--retired"], ["stats", "--json"], ["history", "RECALL", "--json"]],
)
def test_json_output_escapes_c1_and_reads_back_to_the_same_strings(hostile: Home, arguments: list[str]) -> None:
    arguments = [hostile.card("recall") if argument == "RECALL" else argument for argument in arguments]
    result = hostile.run(*arguments)
    assert result.returncode == 0, result.stderr
    assert_clean(result)
    assert "\\u0085" in result.stdout and "\\u001b" in result.stdout  # escaped, not dropped
    document = json.loads(result.stdout)
    assert HOSTILE in json.dumps(document, ensure_ascii=False) or any(HOSTILE in text for text in strings_of(document))
    if arguments[0] == "cards":
        decks = {record["deck"] for record in document}
        assert f"deck {HOSTILE}" in decks  # the very string that went in
        assert any("etcd keeps state" in " ".join(record["key_points"]) for record in document)


def strings_of(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_of(item)


def test_exported_json_escapes_c1_too(hostile: Home) -> None:
    target = hostile.work / "export.json"
    assert hostile.run("export", "json", "--reviews", "--force", str(target)).returncode == 0
    text = target.read_text(encoding="utf-8")
    assert controls_in(text) == []
    assert any(HOSTILE in string for string in strings_of(json.loads(text)))


def test_korean_stays_readable_in_json(hostile: Home, tmp_path: Path) -> None:
    deck = tmp_path / "korean.yaml"
    deck.write_text("deck: 한국어\ncards:\n  - {front: 스태틱 파드, back: 쿠블릿, id: k}\n", encoding="utf-8")
    assert hostile.run("import", str(deck)).returncode == 0
    listed = hostile.run("cards", "--json", "--deck", "한국어")
    assert '"deck": "한국어"' in listed.stdout and '"prompt": "스태틱 파드"' in listed.stdout


def test_plain_sessions_show_hostile_text_filtered(hostile: Home) -> None:
    answers = f"typed {HOSTILE}\n3\n" * 7 + f"recall {HOSTILE}\n.\n3\n"
    result = hostile.run("review", "--plain", "--deck", f"deck {HOSTILE}", input_text=answers)
    assert result.returncode == 0, result.stderr
    assert_clean(result)
    assert "[bold red]x[/bold red]" in result.stdout and "reviewed" in result.stdout.splitlines()[-1]


@pytest.mark.parametrize(
    ("setting", "variables"),
    [
        (f"editor = {yaml_text(HOSTILE)}\n", {}),
        (f"learning_steps = [{yaml_text(HOSTILE)}]\n", {}),
        (f"skip_headings = {yaml_text(HOSTILE)}\n", {}),
        (f"deck_folders = [{yaml_text(NUL_TEXT)}]\n", {}),
        ("", {"CKAQUIZ_NOW": HOSTILE}),
    ],
    ids=["editor", "learning_steps", "skip_headings", "deck_folders", "CKAQUIZ_NOW"],
)
def test_settings_values_in_messages_are_filtered(tmp_path: Path, setting: str, variables: dict[str, str]) -> None:
    home = tmp_path / "settings-home"
    no_builtin_home(home, setting)
    made = Home(home=home, vault=tmp_path, deck=tmp_path, work=tmp_path, cards={})
    for command in (["study", "--plain"], ["stats", "--json"], ["decks"]):
        result = made.run(*command, **variables)
        assert_clean(result)
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr


def spawn(made: Home, *arguments: str) -> pexpect.spawn:
    environment = dict(os.environ, CKAQUIZ_HOME=str(made.home), CKAQUIZ_NOW=NOW, TERM="xterm-256color",
                       PROMPT_TOOLKIT_NO_CPR="1", COLUMNS="120", LINES="40", NO_COLOR="1")  # fmt: skip
    child = pexpect.spawn(sys.executable, ["-m", "ckaquiz", *arguments], env=environment, encoding="utf-8",
                          dimensions=(40, 120), timeout=30, cwd=str(made.work))  # fmt: skip
    child.delaybeforesend = 0.3  # type as a person does, not the instant a prompt starts to draw
    return child


def assert_no_signatures(screen: str) -> None:
    found = [signature for signature in SIGNATURES if signature in screen]
    assert found == [], (found, screen[-3000:])


def test_terminal_session_panels_and_choices_are_filtered(hostile: Home) -> None:
    child = spawn(hostile, "review", "--deck", f"deck {HOSTILE}", "--limit", "8")
    screen: list[str] = []
    for _ in range(8):
        index = child.expect(
            ["Enter to reveal", "pick one", r"\$(?: |\x08)", "write everything you remember", "session summary"]
        )
        screen.append(child.before + child.after)
        if index == 4:
            break
        if index == 0:
            child.send("typed [bold red]x[/bold red]\r")
        elif index == 1:
            child.send("\r")
        elif index == 2:
            child.send("kubectl get pods\r")
        else:
            child.send("recall [bold red]x[/bold red]\x04")
        child.expect("Quit")
        screen.append(child.before + child.after)
        child.send("3")
    child.expect(pexpect.EOF)
    screen.append(child.before)
    shown = "".join(screen)
    assert "session summary" in shown
    assert_no_signatures(shown)
    assert "[bold red]x[/bold red]" in shown
    assert "Traceback" not in shown


def test_import_progress_bar_shows_file_names_filtered(hostile: Home, tmp_path: Path) -> None:
    vault = tmp_path / f"big {HOSTILE_NAME}"
    vault.mkdir()
    for number in range(400):
        (vault / f"[b] {number} {HOSTILE_NAME}.md").write_text(
            f"# note {number}\n\n## part\n- point {number}\n", "utf-8"
        )
    child = spawn(hostile, "import", str(vault))
    child.expect(pexpect.EOF, timeout=120)
    child.close()
    shown = child.before
    assert child.exitstatus == 0, shown[-2000:]
    assert "imported" in shown and "Traceback" not in shown and "MarkupError" not in shown
    assert_no_signatures(shown)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b]52;c;cHduZWQ=\x07after", "after"),  # OSC 52 ended by BEL
        ("\x1b]52;c;cHduZWQ=\x1b\\after", "after"),  # ended by ST
        ("\x9d0;title\x9cafter", "after"),  # one-byte OSC and ST
        ("\x1bP1$r\x1b\\after", "after"),  # DCS
        ("\x1b_payload\x1b\\after", "after"),  # APC
        ("a\x9b31mb", "ab"),  # one-byte CSI with its parameters
        ("a\x1b(Bb", "ab"),  # a character-set designation
        ("a\x85b\x00c\x7fd", "abcd"),
        ("right\u202eleft", "rightleft"),
        ("unterminated \x1b]0;title", "unterminated "),
        ("unterminated \x1b[12;", "unterminated "),
        ("tab\tnew\nline", "tab\tnew\nline"),
    ],
)
def test_the_filter(raw: str, shown: str) -> None:
    assert neutralise(raw) == shown
    assert neutralise(raw, single_line=True) == shown.replace("\t", " ").replace("\n", " ")


@pytest.mark.parametrize(
    "text",
    ["\x1b[" + "1;" * 200_000, "\x1b]" * 200_000, "\x1b" * 400_000, "\x1b]0;" + "x" * 400_000, "\x9b" + "0" * 400_000,
     ("\x1b[1" * 100_000) + "m"],
)  # fmt: skip
def test_the_filter_is_linear_on_hostile_runs(text: str) -> None:
    import time

    started = time.process_time()
    neutralise(text)
    assert time.process_time() - started < 2.0  # a generous budget: quadratic behaviour would take minutes


def test_json_escape_reads_back_to_the_same_text() -> None:
    value = {"deck": HOSTILE, "한국어": "\x85\x9f\x80", "plain": "text"}
    written = escape_json_controls(json.dumps(value, ensure_ascii=False, indent=1))
    assert json.loads(written) == value
    assert controls_in(written) == [] and "한국어" in written
