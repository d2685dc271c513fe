/**
 * The panel's strings in the user's Home Assistant language (English, German, French and Dutch, as the card).
 * The language is read when the panel opens and again when the user picks another one in the
 * profile while it is open; the views re-render then (`LanguageController`).
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { hour12Of, matchLanguage, numberFormatOf, safeLocale, stringTables, timeZoneOf, withoutGrouping, type HaLocale, type Localize } from "../../../src/shared/localize";
import { nextPartName } from "../../../src/shared/cook-name";
import { donePresets, type DonePreset } from "../../../src/shared/done-presets";
import type { TemperatureUnit } from "../../../src/shared/model";
import { probeNameIn, type ProbeAutoName } from "../../../src/shared/probe-name";
import de from "./translations/de.json";
import en from "./translations/en.json";
import fr from "./translations/fr.json";
import nl from "./translations/nl.json";

export type PanelKey = keyof typeof en;
export type PanelLocalize = Localize<PanelKey>;

const TABLES = stringTables(en, { de, fr, nl });

/** A localize function for one language: missing keys fall back to English, then to the key. */
export const createPanelLocalize = TABLES.localize;

/** The default of the pure formatters, so their tests and callers without a language read English. */
export const english = createPanelLocalize("en");

/** The words for a value the server sends (a status, a kind); one the panel has none for shows as it came. */
export const labelOf = <V extends string>(keys: Partial<Record<V, PanelKey>>, value: V, localize: PanelLocalize): string => {
  const key = keys[value];
  return key ? localize(key) : value;
};

export interface PanelLanguage {
  /** The table ("en", "de", "fr", "nl"). */
  language: string;
  /** BCP 47 tag for dates and numbers: a regional tag in that language when one is known ("de-AT"). */
  locale: string;
}

/**
 * `stored` is Home Assistant's `selectedLanguage` as it is in localStorage (JSON: `"de"`, or
 * `null`, or absent), `browser` is `navigator.language`. The language chosen in Home Assistant wins;
 * one the panel has no table for is English, as on the card (which gets it from `hass.language`).
 */
export const pickPanelLanguage = (stored: string | null, browser: string | undefined): PanelLanguage => {
  const chosen = parseStored(stored);
  const language = TABLES.languageOf(chosen ?? browser ?? "en");
  const regional = [chosen, browser].find((tag) => tag?.includes("-") && matchLanguage(tag, [language]) !== null);
  return { language, locale: regional ? safeLocale(regional, language) : language };
};

const parseStored = (stored: string | null): string | null => {
  if (!stored) return null;
  try {
    const value: unknown = JSON.parse(stored);
    return typeof value === "string" && value ? value : null;
  } catch {
    // Not written by Home Assistant's frontend: the browser's language decides.
    return null;
  }
};

/** Home Assistant's frontend keeps the user's language under this key, on the origin the ingress iframe shares. */
const HA_LANGUAGE_KEY = "selectedLanguage";

const storedLanguage = (): string | null => {
  try {
    return globalThis.localStorage?.getItem(HA_LANGUAGE_KEY) ?? null;
  } catch (err) {
    // Storage can be blocked (private mode, iframe policies): the browser's language decides.
    console.debug("grill-stats: localStorage unavailable", err);
    return null;
  }
};

/** The page's language with the formats of the user's Home Assistant profile applied. */
export interface PageFormats extends PanelLanguage {
  /**
   * BCP 47 tag for numbers (Home Assistant's number format may differ from the language's); it
   * carries "no digit grouping" too, for the format "none" (`withoutGrouping`).
   */
  numberLocale: string;
  /** The IANA zone times and dates are shown in (Home Assistant's, under the profile's "server"); undefined is the browser's. */
  timeZone: string | undefined;
}

/**
 * `page` with Home Assistant's time format (a 12/24-hour extension on the locale, which dates are
 * written in), number format (the locale numbers are written in) and time zone (`serverTimeZone`
 * is Home Assistant's, for "server"); `browser` is `navigator.language`, for "system". Without a
 * profile's formats, the language's, in the browser's zone.
 */
export const withHomeAssistantFormats = (page: PanelLanguage, ha: HaLocale | null, browser: string | undefined, serverTimeZone?: string): PageFormats => {
  const hour12 = hour12Of(ha?.time_format);
  const locale = hour12 === undefined ? page.locale : safeLocale(`${page.locale}-u-hc-${hour12 ? "h12" : "h23"}`, page.locale);
  const numbers = numberFormatOf(ha?.number_format, page.locale);
  const numberLocale = numbers.locale ?? safeLocale(browser ?? page.locale, page.locale);
  return { ...page, locale, numberLocale: numbers.useGrouping ? numberLocale : withoutGrouping(numberLocale), timeZone: timeZoneOf(ha?.time_zone, serverTimeZone) };
};

/** What the panel reads of Home Assistant's page: the user's profile (`hass.locale`) and Home Assistant's zone (`hass.config.time_zone`). */
export interface HomeAssistantPage {
  locale: HaLocale;
  serverTimeZone: string | undefined;
}

/**
 * The formats of the user's profile and Home Assistant's zone from Home Assistant's page around
 * the ingress iframe (the same origin); null outside it, or when that page is not Home Assistant's.
 */
export const readHomeAssistant = (win: Window): HomeAssistantPage | null => {
  try {
    if (win.parent === win) return null;
    const app = win.parent.document.querySelector("home-assistant") as (Element & { hass?: { locale?: HaLocale; config?: { time_zone?: unknown } } }) | null;
    const loc = app?.hass?.locale;
    if (!loc || typeof loc !== "object") return null;
    const zone = app?.hass?.config?.time_zone;
    return { locale: loc, serverTimeZone: typeof zone === "string" ? zone : undefined };
  } catch {
    // Another origin (opened through a proxy of its own): the language's formats.
    return null;
  }
};

const readPageLanguage = (): PageFormats => {
  const ha = globalThis.window ? readHomeAssistant(globalThis.window) : null;
  return withHomeAssistantFormats(pickPanelLanguage(storedLanguage(), globalThis.navigator?.language), ha?.locale ?? null, globalThis.navigator?.language, ha?.serverTimeZone);
};

let page = readPageLanguage();
let pageLocalize = createPanelLocalize(page.language);
const listeners = new Set<() => void>();

/**
 * The page's locale for dates and numbers. Views import it rather than have it passed down; it is a
 * live binding that changes with the language, so read it when rendering, not once at import.
 */
export let locale = page.locale;

/** The page's locale for numbers (a live binding, as `locale`). */
export let numberLocale = page.numberLocale;

/**
 * The zone every time and date of the page is shown in (a live binding, as `locale`): Home
 * Assistant's when the profile says "server", else undefined, the browser's own.
 */
export let timeZone = page.timeZone;

/** The page's strings, in the language of the moment (safe to keep: it follows a change). */
export const localize: PanelLocalize = (key, vars) => pageLocalize(key, vars);

/** A probe's name in the page's language: its label, or its device and channel ("Signals Fühler 2"). */
export const probeName = (p: { name: string; autoName: ProbeAutoName | null }): string => probeNameIn(page.language, p);

/** The done temperatures offered on a target field, in `unit` and the page's language. */
export const targetPresets = (unit: TemperatureUnit): DonePreset[] => donePresets(page.language, unit);

/** The name of the part after a split, in the page's language: "Brisket (part 2)", "Brisket (Teil 2)". */
export const partName = (cookName: string): string => nextPartName(cookName, page.language);

/** Calls `listener` after the page's language, locale or time zone changed; returns the function that stops it. */
export const onLanguageChange = (listener: () => void): (() => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/**
 * Home Assistant's frontend writes `selectedLanguage` when the user picks another language in the
 * profile. The panel hears it as a `storage` event, which fires only in the other documents of the
 * origin (the ingress iframe is one); a null key is a cleared storage. Returns the function that stops.
 */
export const followHomeAssistantLanguage = (target: Window): (() => void) => {
  const reread = (): void => {
    const next = readPageLanguage();
    if (next.language === page.language && next.locale === page.locale && next.numberLocale === page.numberLocale && next.timeZone === page.timeZone) return;
    page = next;
    locale = next.locale;
    numberLocale = next.numberLocale;
    timeZone = next.timeZone;
    pageLocalize = createPanelLocalize(next.language);
    for (const listener of listeners) listener();
  };
  const onStorage = (e: StorageEvent): void => {
    if (e.key === null || e.key === HA_LANGUAGE_KEY) reread();
  };
  // The profile's time and number formats and time zone live in Home Assistant's page: read again when the panel is back in view.
  const onVisible = (): void => {
    if (target.document.visibilityState === "visible") reread();
  };
  target.addEventListener("storage", onStorage);
  target.addEventListener("focus", reread);
  target.document.addEventListener("visibilitychange", onVisible);
  return () => {
    target.removeEventListener("storage", onStorage);
    target.removeEventListener("focus", reread);
    target.document.removeEventListener("visibilitychange", onVisible);
  };
};

/**
 * Re-renders an element of the panel when the language changes while it is open. It registers
 * itself with its host: `private readonly _language = new LanguageController(this)` is all it takes.
 */
export class LanguageController implements ReactiveController {
  private _stop: (() => void) | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this._stop = onLanguageChange(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this._stop?.();
    this._stop = null;
  }
}
