/**
 * Names the add-on gives cooks, in Home Assistant's language (English, German, French or Dutch):
 * "Cook on 26 Nov" for a cook without labelled meat probes, "Brisket (part 2)" for the part after
 * a split. They are stored once, as the user could have typed them; the panel and the store both
 * read the part suffix in any of these languages.
 */
type CookNameLanguage = "en" | "de" | "fr" | "nl";
const MONTHS: Record<CookNameLanguage, readonly string[]> = {
  en: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
  de: ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."],
  fr: ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
  nl: ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
};
const PART_WORD: Record<CookNameLanguage, string> = { en: "part", de: "Teil", fr: "partie", nl: "deel" };

/** "de", "de-CH" → German, "fr-BE" → French, "nl" → Dutch; anything else English. */
const langOf = (language: string | undefined): CookNameLanguage => {
  const base = language?.toLowerCase().split(/[-_]/)[0];
  return base === "de" || base === "fr" || base === "nl" ? base : "en";
};

const UNDATED: Record<CookNameLanguage, (day: number, month: string) => string> = {
  en: (day, month) => `Cook on ${day} ${month}`,
  de: (day, month) => `Garvorgang am ${day}. ${month}`,
  fr: (day, month) => `Cuisson du ${day === 1 ? "1er" : day} ${month}`,
  nl: (day, month) => `Sessie van ${day} ${month}`,
};

/** Day of month and month (0–11) of a time: Date getters in the process's own zone (no ICU data), Intl for another. */
const dayAndMonth = (ms: number, timeZone?: string): [number, number] => {
  const d = new Date(ms);
  if (!timeZone || timeZone === process.env.TZ) return [d.getDate(), d.getMonth()];
  const parts = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "numeric", timeZone }).formatToParts(d);
  const num = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return [num("day"), num("month") - 1];
};

/** "Cook on 26 Nov" / "Garvorgang am 26. Nov." / "Cuisson du 26 nov." / "Sessie van 26 nov." */
export const undatedCookName = (startMs: number, language?: string, timeZone?: string): string => {
  const lang = langOf(language);
  const [day, month] = dayAndMonth(startMs, timeZone);
  return UNDATED[lang](day, MONTHS[lang][month] ?? "");
};

const PART = /^(.*) \((part|Teil|partie|deel) (\d+)\)$/;
/** The longest cook name the API takes. */
export const COOK_NAME_MAX = 100;

/**
 * "Brisket" → "Brisket (part 2)" ("Brisket (Teil 2)" in German, "(partie 2)" in French, "(deel 2)"
 * in Dutch), "Brisket (part 2)" → "Brisket
 * (part 3)": a name that has a part number keeps its word.
 */
export const nextPartName = (name: string, language?: string): string => {
  const m = PART.exec(name);
  const [base, suffix] = m ? [m[1] ?? "", ` (${m[2]} ${Number(m[3]) + 1})`] : [name, ` (${PART_WORD[langOf(language)]} 2)`];
  // A cook's name is at most COOK_NAME_MAX long (UTF-16 units, as the API counts): a long one
  // gives up the end of its base, a whole character at a time.
  if (base.length + suffix.length <= COOK_NAME_MAX) return `${base}${suffix}`;
  const chars = [...base];
  while (chars.length > 0 && chars.join("").length + 1 + suffix.length > COOK_NAME_MAX) chars.pop();
  return `${chars.join("")}…${suffix}`;
};

/** The name without its part suffix (two parts of one cook merge back under it). */
export const partBase = (name: string): string => PART.exec(name)?.[1] ?? name;
