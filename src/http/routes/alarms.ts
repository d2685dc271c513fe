import { Router, type Response } from "express";
import { z } from "zod";
import { ConflictError, DEFAULT_SNOOZE_MINUTES, NotFoundError, type AlarmState } from "../../shared";
import { UnavailableError } from "../errors";
import type { AlarmApi, HttpDeps } from "../types";
import { knownProbeIds, parseBody, parseQuery, requireProbe, wholeNumber } from "../validate";

const limitQuery = z.object({
  limit: wholeNumber("number of records").pipe(z.number().min(1, "must be at least 1").max(1000, "must be at most 1000")).optional(),
});
const snoozeBody = z
  .object({ minutes: z.number().int("must be whole minutes").min(1, "must be at least 1 minute").max(240, "must be at most 240 minutes").optional() })
  .strict();
const paramValue = z.union([z.number().finite(), z.string().max(200), z.boolean(), z.null()]);
const ruleBody = z
  .object({
    probeId: z.string().min(1).max(200).nullable().default(null),
    deviceKey: z.string().min(1).max(200).nullable().default(null),
    kind: z.string().min(1).max(40),
    enabled: z.boolean(),
    params: z.record(z.string().max(60), paramValue).default({}),
  })
  .strict();

/** The alarm after an action; 204 when the service dropped it (e.g. cleared at once). */
const sendAlarm = (res: Response, alarms: AlarmApi, id: string): void => {
  const alarm = alarms.list().find((a) => a.id === id);
  if (alarm) res.json(alarm);
  else res.status(204).end();
};

/** Current alarms with acknowledge / snooze, rules, and the delivery record. 503 while the alarm service is off. */
export const alarmsRouter = (deps: HttpDeps): Router => {
  const router = Router();
  const api = (): AlarmApi => {
    if (!deps.alarms) throw new UnavailableError("The alarm service is not running; see the add-on log");
    return deps.alarms;
  };
  const findAlarm = (alarms: AlarmApi, id: string): AlarmState => {
    const alarm = alarms.list().find((a) => a.id === id);
    if (!alarm) throw new NotFoundError(`Unknown alarm "${id}"`);
    return alarm;
  };
  /**
   * Acknowledge and snooze act on an alarm going off (or its heads-up). On an armed one they would
   * do nothing, and a 200 would tell the caller something was silenced: 409 says what it is.
   * Acknowledging twice is fine (a second tap on the phone, a retried request).
   */
  const activeAlarm = (alarms: AlarmApi, id: string, action: "acknowledge" | "snooze"): void => {
    const { phase } = findAlarm(alarms, id);
    if (phase === "armed" || (phase === "acknowledged" && action === "snooze")) {
      throw new ConflictError(`Alarm "${id}" is ${phase}, not going off: nothing to ${action}`);
    }
  };

  router.get("/alarms", (_req, res) => {
    res.json(api().list());
  });

  router.get("/alarms/rules", (_req, res) => {
    res.json(api().rules());
  });

  router.put("/alarms/rules", async (req, res) => {
    const alarms = api();
    const rule = parseBody(ruleBody, req);
    // A rule is kept and evaluated with every change: only for probes and devices that exist.
    if (rule.probeId !== null) requireProbe(knownProbeIds(deps.store, deps.getProbeStates().map((p) => p.id)), rule.probeId);
    if (rule.deviceKey !== null && !deps.store.listDevices().some((d) => d.key === rule.deviceKey)) throw new NotFoundError(`Unknown device "${rule.deviceKey}"`);
    await alarms.setRule(rule);
    res.json(alarms.rules());
  });

  router.get("/alarms/deliveries", (req, res) => {
    const { limit } = parseQuery(limitQuery, req);
    res.json(api().deliveries(limit ?? 100));
  });

  router.get("/alarms/transitions", (req, res) => {
    const { limit } = parseQuery(limitQuery, req);
    res.json(api().transitions(limit ?? 100));
  });

  router.post("/alarms/:id/acknowledge", async (req, res) => {
    const alarms = api();
    const id = String(req.params.id);
    activeAlarm(alarms, id, "acknowledge");
    await alarms.acknowledge(id, "api");
    sendAlarm(res, alarms, id);
  });

  router.post("/alarms/:id/snooze", async (req, res) => {
    const alarms = api();
    const id = String(req.params.id);
    findAlarm(alarms, id);
    // No body (or {}): the same 10 minutes as the notification's and the helper's snooze.
    const { minutes = DEFAULT_SNOOZE_MINUTES } = req.body === undefined ? {} : parseBody(snoozeBody, req);
    activeAlarm(alarms, id, "snooze");
    await alarms.snooze(id, minutes, "api");
    sendAlarm(res, alarms, id);
  });

  return router;
};
