"""Connecting a LINE channel: checking the credentials, setting the webhook, and a rich menu per role.

Three rich menus are installed: one for people who have not registered (the
channel's default), one for officers, one for supervisors and admins. Every
button sends the same text command a user could type, so one code path
serves both. The menus are found again by name (``tidtam:<role>:v1:<digest>``)
and by alias (``tidtam-<role>``): set-up is idempotent, and linking a menu to
one user needs only the alias, no list of menus.

Every call goes through the LINE SDK with the client's explicit timeouts, and
every failure becomes a LineSetupError with one plain line that names the
setting to check.
"""
from __future__ import annotations

import functools
import hashlib
import json
import logging
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import urllib3
from linebot.v3.messaging import (
    ApiException,
    CreateRichMenuAliasRequest,
    MessageAction,
    MessagingApi,
    MessagingApiBlob,
    RichMenuArea,
    RichMenuBounds,
    RichMenuBulkLinkRequest,
    RichMenuBulkUnlinkRequest,
    RichMenuRequest,
    RichMenuSize,
    SetWebhookEndpointRequest,
    TestWebhookEndpointRequest,
    UpdateRichMenuAliasRequest,
)
from sqlmodel import Session, select

from line import texts
from line.client import LineClient, LineConfig
from line.richmenu_images import STYLE_VERSION, Tile, render_menu
from models import Officer, Role

log = logging.getLogger(__name__)

T = TypeVar("T")

MENU_PREFIX = "tidtam:"
MENU_VERSION = "v1"
ALIAS_PREFIX = "tidtam-"
MENU_WIDTH = 2500
BULK_LINK_MAX = 500  # user ids per bulk link call
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
CONSOLE = "the LINE Developers console (your channel › Messaging API tab)"


class LineSetupError(RuntimeError):
    """A LINE call failed; the message is one plain line naming what to check."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


# -- the menus -----------------------------------------------------------------------------

@dataclass(frozen=True)
class MenuButton:
    """One button: the label drawn on it, the command it sends, its icon and colour."""

    label: str
    text: str
    icon: str
    colour: str


@dataclass(frozen=True)
class MenuSpec:
    """A rich menu: rows of buttons sharing the height equally, each row sharing the width."""

    key: str  # unregistered | officer | supervisor
    chat_bar_text: str
    height: int
    rows: tuple[tuple[MenuButton, ...], ...]

    @property
    def alias(self) -> str:
        return f"{ALIAS_PREFIX}{self.key}"

    @property
    def buttons(self) -> list[MenuButton]:
        return [b for row in self.rows for b in row]

    def boxes(self) -> list[tuple[int, int, int, int, MenuButton]]:
        """(x, y, width, height, button) for every button; the boxes tile the whole image."""
        result = []
        row_height = self.height // len(self.rows)
        for r, row in enumerate(self.rows):
            y = r * row_height
            height = self.height - y if r == len(self.rows) - 1 else row_height
            width = MENU_WIDTH // len(row)
            for c, button in enumerate(row):
                x = c * width
                result.append((x, y, MENU_WIDTH - x if c == len(row) - 1 else width, height, button))
        return result

    def areas(self) -> list[RichMenuArea]:
        return [RichMenuArea(bounds=RichMenuBounds(x=x, y=y, width=w, height=h),
                             action=MessageAction(label=b.label, text=b.text))
                for x, y, w, h, b in self.boxes()]

    @functools.cached_property
    def digest(self) -> str:
        """A short hash of everything that shows: areas, texts, colours, icons and the drawing style."""
        data = {"height": self.height, "bar": self.chat_bar_text, "style": STYLE_VERSION,
                "boxes": [[x, y, w, h, b.label, b.text, b.icon, b.colour] for x, y, w, h, b in self.boxes()]}
        return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:12]

    @property
    def name(self) -> str:
        return f"{MENU_PREFIX}{self.key}:{MENU_VERSION}:{self.digest}"

    def request(self) -> RichMenuRequest:
        return RichMenuRequest(size=RichMenuSize(width=MENU_WIDTH, height=self.height), selected=True,
                               name=self.name, chat_bar_text=self.chat_bar_text, areas=self.areas())

    def tiles(self) -> list[Tile]:
        return [Tile(x, y, w, h, b.label, b.icon, b.colour) for x, y, w, h, b in self.boxes()]

    def image(self) -> bytes:
        """The menu's PNG (drawn once per process)."""
        return _menu_image(self)


@functools.cache
def _menu_image(spec: MenuSpec) -> bytes:
    return render_menu(MENU_WIDTH, spec.height, spec.tiles())


GREEN, BLUE, ORANGE, RED = "#14804A", "#1D5FBF", "#B45309", "#B42318"
PURPLE, TEAL, SLATE = "#6D3FB5", "#0E7490", "#475467"
SCORES_BUTTON = MenuButton(texts.RICHMENU_SCORES, "คะแนน", "score", TEAL)
HELP_BUTTON = MenuButton(texts.RICHMENU_HELP, "ช่วยเหลือ", "help", SLATE)

UNREGISTERED_MENU = MenuSpec("unregistered", texts.RICHMENU_BAR_UNREGISTERED, 843, (
    (MenuButton(texts.RICHMENU_REGISTER, "ลงทะเบียน", "register", GREEN),
     MenuButton(texts.RICHMENU_HOW_TO, "วิธีใช้", "help", SLATE)),
))
OFFICER_MENU = MenuSpec("officer", texts.RICHMENU_BAR, 1686, (
    (MenuButton(texts.RICHMENU_MY_TASKS, "งานของฉัน", "tasks", BLUE),
     MenuButton(texts.RICHMENU_REPORT, "รายงาน", "report", GREEN)),
    (MenuButton(texts.RICHMENU_HISTORY, "ประวัติ", "history", PURPLE), SCORES_BUTTON, HELP_BUTTON),
))
SUPERVISOR_MENU = MenuSpec("supervisor", texts.RICHMENU_BAR, 1686, (
    (MenuButton(texts.RICHMENU_SUMMARY, "สรุป", "summary", BLUE),
     MenuButton(texts.RICHMENU_OVERDUE, "ค้างส่ง", "pending", ORANGE),
     MenuButton(texts.RICHMENU_REMIND, "เตือน", "remind", RED)),
    (MenuButton(texts.RICHMENU_ANNUAL_REPORT, "รายงานประจำปี", "annual", PURPLE), SCORES_BUTTON,
     MenuButton(texts.RICHMENU_WEB, "เว็บ", "web", GREEN), HELP_BUTTON),
))
MENUS: tuple[MenuSpec, ...] = (UNREGISTERED_MENU, OFFICER_MENU, SUPERVISOR_MENU)
MENUS_BY_KEY = {m.key: m for m in MENUS}


def menu_key_for_role(role: str | Role) -> str:
    """The menu a role sees: officers theirs, supervisors and admins the supervisor menu."""
    return "officer" if Role(role) == Role.OFFICER else "supervisor"


# -- plain results ----------------------------------------------------------------------------

@dataclass(frozen=True)
class BotInfo:
    display_name: str
    basic_id: str

    @property
    def friend_url(self) -> str:
        """The link (or QR code) that adds the bot as a friend."""
        return f"https://line.me/R/ti/p/{quote(self.basic_id)}"


@dataclass(frozen=True)
class WebhookInfo:
    endpoint: str
    active: bool


@dataclass(frozen=True)
class WebhookTest:
    success: bool
    status: int
    reason: str
    detail: str


@dataclass(frozen=True)
class Quota:
    limit: int | None  # None: no monthly limit
    used: int

    @property
    def left(self) -> int | None:
        return None if self.limit is None else max(0, self.limit - self.used)


@dataclass
class MenuSetup:
    """What installing the menus did."""

    menus: dict[str, str] = field(default_factory=dict)  # key -> rich menu id
    created: list[str] = field(default_factory=list)  # keys
    kept: list[str] = field(default_factory=list)
    removed: int = 0
    linked: dict[str, int] = field(default_factory=dict)  # key -> users linked
    unlinked: int = 0


# -- the LINE calls ------------------------------------------------------------------------

class LineChannel:
    """The set-up calls of one LINE channel, with timeouts and one-line errors."""

    def __init__(self, config: LineConfig, api: MessagingApi, blob: MessagingApiBlob,
                 timeout: tuple[float, float]) -> None:
        self.config = config
        self.api = api
        self.blob = blob
        self.timeout = timeout

    @classmethod
    def from_client(cls, client: LineClient) -> LineChannel:
        return cls(client.config, client.api, client.blob, client.timeout)

    def _call(self, what: str, func: Callable[..., T], *args: Any, data_host: bool = False, **kwargs: Any) -> T:
        try:
            return func(*args, _request_timeout=self.timeout, **kwargs)
        except ApiException as exc:
            raise LineSetupError(_api_error(what, exc), exc.status) from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            var = "LINE_DATA_API_BASE_URL" if data_host else "LINE_API_BASE_URL"
            url = self.config.data_api_base_url if data_host else self.config.api_base_url
            raise LineSetupError(f"cannot reach the LINE API at {url} ({_network_reason(exc)}) while trying to "
                                 f"{what}: check {var} and this machine's network") from None

    # -- reading ----------------------------------------------------------------
    def bot_info(self) -> BotInfo:
        info = self._call("read the bot's profile", self.api.get_bot_info)
        return BotInfo(display_name=info.display_name, basic_id=info.basic_id)

    def webhook_info(self) -> WebhookInfo:
        info = self._call("read the webhook URL", self.api.get_webhook_endpoint)
        return WebhookInfo(endpoint=info.endpoint or "", active=bool(info.active))

    def quota(self) -> Quota:
        quota = self._call("read the message quota", self.api.get_message_quota)
        used = self._call("read this month's message count", self.api.get_message_quota_consumption)
        kind = getattr(quota.type, "value", quota.type)
        return Quota(limit=quota.value if kind == "limited" else None, used=used.total_usage)

    def installed_aliases(self) -> dict[str, str]:
        """Tidtam's rich menu aliases on LINE: alias -> rich menu id."""
        aliases = self._call("list rich menu aliases", self.api.get_rich_menu_alias_list).aliases or []
        return {a.rich_menu_alias_id: a.rich_menu_id for a in aliases
                if a.rich_menu_alias_id.startswith(ALIAS_PREFIX)}

    def menu_for_alias(self, alias: str) -> str | None:
        try:
            return self._call("read a rich menu alias", self.api.get_rich_menu_alias, alias).rich_menu_id
        except LineSetupError as exc:
            if exc.status == 404:
                return None
            raise

    # -- the webhook ------------------------------------------------------------
    def set_webhook(self, url: str) -> None:
        self._call("set the webhook URL", self.api.set_webhook_endpoint, SetWebhookEndpointRequest(endpoint=url))

    def test_webhook(self, url: str) -> WebhookTest:
        result = self._call("test the webhook", self.api.test_webhook_endpoint,
                            TestWebhookEndpointRequest(endpoint=url))
        return WebhookTest(success=bool(result.success), status=result.status_code or 0,
                           reason=result.reason or "", detail=result.detail or "")

    # -- rich menus ---------------------------------------------------------------
    def install_menus(self, links: dict[str, list[str]] | None = None,
                      unlink: Iterable[str] = ()) -> MenuSetup:
        """Install the three menus (reusing unchanged ones), make the unregistered one the
        default, link users to theirs, then delete Tidtam's stale menus."""
        existing = self._call("list rich menus", self.api.get_rich_menu_list).richmenus or []
        ours = [m for m in existing if m.name.startswith(MENU_PREFIX)]
        setup = MenuSetup()
        for spec in MENUS:
            same = [m for m in ours if m.name == spec.name and self._has_image(m.rich_menu_id)]
            if same:
                setup.menus[spec.key] = same[0].rich_menu_id
                setup.kept.append(spec.key)
            else:
                setup.menus[spec.key] = self._create_menu(spec)
                setup.created.append(spec.key)
            self._point_alias(spec.alias, setup.menus[spec.key])
        self._call("set the default rich menu", self.api.set_default_rich_menu, setup.menus["unregistered"])
        for key, user_ids in (links or {}).items():
            setup.linked[key] = self.link_users(setup.menus[key], user_ids)
        setup.unlinked = self.unlink_users(list(unlink))
        keep = set(setup.menus.values())
        for menu in ours:
            if menu.rich_menu_id not in keep:
                self._call("delete an old rich menu", self.api.delete_rich_menu, menu.rich_menu_id)
                setup.removed += 1
        return setup

    def _has_image(self, menu_id: str) -> bool:
        try:
            self._call("download a rich menu image", self.blob.get_rich_menu_image, menu_id, data_host=True)
        except LineSetupError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    def _create_menu(self, spec: MenuSpec) -> str:
        image = spec.image()  # drawn first: a missing font must not leave a menu without an image
        menu_id = self._call("create a rich menu", self.api.create_rich_menu, spec.request()).rich_menu_id
        try:
            self._call("upload a rich menu image", self.blob.set_rich_menu_image, menu_id, image,
                       _headers={"Content-Type": "image/png"}, data_host=True)
        except LineSetupError:
            try:
                self._call("delete a rich menu without image", self.api.delete_rich_menu, menu_id)
            except LineSetupError:
                log.warning("rich menu %s has no image and could not be deleted", menu_id)
            raise
        return menu_id

    def _point_alias(self, alias: str, menu_id: str) -> None:
        current = self.menu_for_alias(alias)
        if current is None:
            self._call("create a rich menu alias", self.api.create_rich_menu_alias,
                       CreateRichMenuAliasRequest(rich_menu_alias_id=alias, rich_menu_id=menu_id))
        elif current != menu_id:
            self._call("update a rich menu alias", self.api.update_rich_menu_alias, alias,
                       UpdateRichMenuAliasRequest(rich_menu_id=menu_id))

    def link_users(self, menu_id: str, user_ids: list[str]) -> int:
        """Link a menu to many users, 500 a call; returns how many."""
        for start in range(0, len(user_ids), BULK_LINK_MAX):
            chunk = user_ids[start:start + BULK_LINK_MAX]
            self._call("link rich menus to users", self.api.link_rich_menu_id_to_users,
                       RichMenuBulkLinkRequest(rich_menu_id=menu_id, user_ids=chunk))
        return len(user_ids)

    def unlink_users(self, user_ids: list[str]) -> int:
        """Remove per-user menus (the default menu shows again); returns how many."""
        for start in range(0, len(user_ids), BULK_LINK_MAX):
            self._call("unlink rich menus from users", self.api.unlink_rich_menu_id_from_users,
                       RichMenuBulkUnlinkRequest(user_ids=user_ids[start:start + BULK_LINK_MAX]))
        return len(user_ids)

    def link_role_menu(self, user_id: str, role: str | Role) -> str | None:
        """Link the role's menu to one user; the menu key, or None when no menus are installed."""
        key = menu_key_for_role(role)
        menu_id = self.menu_for_alias(MENUS_BY_KEY[key].alias)
        if menu_id is None:
            log.info("no %s rich menu installed yet (flask --app bot line-setup); %s not linked", key, user_id)
            return None
        self._call("link a rich menu to a user", self.api.link_rich_menu_id_to_user, user_id, menu_id)
        return key

    def unlink_user(self, user_id: str) -> None:
        self._call("unlink a user's rich menu", self.api.unlink_rich_menu_id_from_user, user_id)


def _api_error(what: str, exc: ApiException) -> str:
    if exc.status == 401:
        return ("LINE refused the channel access token (401): check LINE_CHANNEL_ACCESS_TOKEN; "
                f"issue a long-lived channel access token in {CONSOLE}")
    body = exc.body.decode("utf-8", "replace") if isinstance(exc.body, bytes) else (exc.body or "")
    try:
        message = json.loads(body).get("message") or body
    except (ValueError, AttributeError):
        message = body
    message = " ".join(str(message or exc.reason or "").split())[:200]
    if exc.status == 403:
        return f"LINE did not allow this channel to {what} (403): {message}"
    return f"LINE answered {exc.status} when trying to {what}: {message}"


def _network_reason(exc: BaseException) -> str:
    # NewConnectionError is a ConnectTimeoutError in urllib3: ask it before the timeouts.
    if isinstance(exc, urllib3.exceptions.NameResolutionError):
        return "unknown host name"
    if isinstance(exc, urllib3.exceptions.NewConnectionError | ConnectionError):
        return "connection refused" if "refused" in str(exc).lower() else "could not connect"
    timeouts = (urllib3.exceptions.TimeoutError, TimeoutError, socket.timeout)
    if isinstance(exc, timeouts):
        return "timed out"
    return type(exc).__name__


# -- small helpers for the CLI and handlers -----------------------------------------------------

def webhook_url_problem(url: str) -> str | None:
    """Why LINE would not accept ``url`` as a webhook, or None when it is fine."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname in LOCAL_HOSTS:
        return None  # development: a local fake LINE can call it
    return (f"LINE only calls HTTPS webhooks, and {url!r} is not an https:// address "
            f"(http:// is accepted for localhost and 127.0.0.1 only, for development)")


def default_webhook_url(public_base_url: str) -> str:
    return public_base_url.rstrip("/") + "/callback"


def officer_menu_links(session: Session) -> tuple[dict[str, list[str]], list[str]]:
    """User ids to link, by menu key (active officers with a LINE account), and the inactive ones to unlink."""
    links: dict[str, list[str]] = {"officer": [], "supervisor": []}
    unlink: list[str] = []
    rows = session.exec(select(Officer).where(Officer.line_user_id.is_not(None)).order_by(Officer.id))
    for officer in rows:
        if officer.active:
            links[menu_key_for_role(officer.role)].append(officer.line_user_id)
        else:
            unlink.append(officer.line_user_id)
    return links, unlink


def link_menu_task(line: LineClient, user_id: str, role: str) -> str | None:
    """Link the role's rich menu to a user who just registered (runs in the task pool)."""
    try:
        key = LineChannel.from_client(line).link_role_menu(user_id, role)
    except LineSetupError as exc:
        log.warning("rich menu not linked for %s: %s", user_id, exc)
        return None
    if key:
        log.info("linked the %s rich menu to %s", key, user_id)
    return key
