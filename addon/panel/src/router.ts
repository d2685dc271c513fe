/** Hash routes: `#/live`, `#/cooks`, `#/cooks/12`, `#/compare?ids=1,2`, `#/alarms`. */
export type Route =
  | { view: "live" }
  | { view: "cooks" }
  | { view: "cook"; id: number }
  | { view: "compare"; ids: number[] }
  | { view: "alarms" };

export const parseRoute = (hash: string): Route => {
  const raw = hash.replace(/^#\/?/, "");
  const [path = "", query = ""] = raw.split("?");
  const parts = path.split("/").filter(Boolean);
  if (parts[0] === "cooks" && parts[1] && /^\d+$/.test(parts[1])) return { view: "cook", id: Number(parts[1]) };
  if (parts[0] === "cooks") return { view: "cooks" };
  if (parts[0] === "alarms") return { view: "alarms" };
  if (parts[0] === "compare") {
    const ids = (new URLSearchParams(query).get("ids") ?? "")
      .split(",")
      .filter((s) => /^\d+$/.test(s))
      .map(Number);
    return { view: "compare", ids: [...new Set(ids)] };
  }
  return { view: "live" };
};

export const routeHref = (route: Route): string => {
  switch (route.view) {
    case "live":
      return "#/live";
    case "cooks":
      return "#/cooks";
    case "cook":
      return `#/cooks/${route.id}`;
    case "compare":
      return `#/compare?ids=${route.ids.join(",")}`;
    case "alarms":
      return "#/alarms";
  }
};
