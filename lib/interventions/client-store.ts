import {
  isFinal,
  STAGES,
  type TInterventionSettings,
  type TInterventionView,
  type TStage,
} from "./types";

type Listener = () => void;

export interface InterventionStoreOptions {
  /** Finished interventions kept (the panel's history); those in progress are always kept. */
  keepFinished?: number;
}

/** Order of progress: a later stage never gives way to an earlier one with the same time. */
const RANK = new Map<TStage, number>(STAGES.map((stage, i) => [stage, i]));

/** Whether `next` says something newer than `prev` about the same intervention. */
function isNewer(prev: TInterventionView, next: TInterventionView): boolean {
  if (next.updatedAt !== prev.updatedAt) return next.updatedAt > prev.updatedAt;
  if (isFinal(prev.stage) && !isFinal(next.stage)) return false;
  return (RANK.get(next.stage) ?? 0) >= (RANK.get(prev.stage) ?? 0);
}

function byNewest(a: TInterventionView, b: TInterventionView): number {
  return b.requestedAt - a.requestedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** Listeners per key (a call uuid, an agent id, an intervention id). */
class KeyedListeners {
  private readonly map = new Map<string, Set<Listener>>();

  add(key: string, listener: Listener): () => void {
    const set = this.map.get(key) ?? new Set<Listener>();
    set.add(listener);
    this.map.set(key, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.map.delete(key);
    };
  }

  notify(key: string): void {
    const set = this.map.get(key);
    if (set) for (const listener of set) listener();
  }
}

/**
 * The browser's copy of one company's interventions: the list from
 * `GET /api/interventions/<company>`, then every `intervention:updated`. Keyed by id, with the
 * one in progress looked up by call uuid and by target agent. Rows subscribe to their own call or
 * agent, so an intervention repaints the rows it concerns, not the whole grid.
 */
export class InterventionClientStore {
  private readonly byId = new Map<string, TInterventionView>();
  /** In progress, by call uuid and by target agent id. */
  private readonly activeByCall = new Map<string, TInterventionView>();
  private readonly activeByAgent = new Map<string, TInterventionView>();
  private readonly callListeners = new KeyedListeners();
  private readonly agentListeners = new KeyedListeners();
  private readonly idListeners = new KeyedListeners();
  private readonly listListeners = new Set<Listener>();
  private listCache: TInterventionView[] | undefined;
  private settingsValue: TInterventionSettings | undefined;
  /** Ids received live since the list load began: the list may predate them. */
  private touchedSinceLoad: Set<string> | undefined;
  private readonly keepFinished: number;

  constructor(options: InterventionStoreOptions = {}) {
    this.keepFinished = options.keepFinished ?? 50;
  }

  /** One intervention as the socket or an action returned it; an older copy is ignored. */
  upsert(view: TInterventionView): boolean {
    this.touchedSinceLoad?.add(view.id);
    const changed = this.put(view);
    if (changed) {
      this.trim();
      this.notifyList();
    }
    return changed;
  }

  /** A list load starts: what arrives live from now on wins over what the list says. */
  beginLoad(): void {
    this.touchedSinceLoad = new Set();
  }

  /**
   * The server's list: every intervention in progress and the latest finished ones. One the
   * store holds as in progress that the list leaves out is no longer in progress (it finished
   * while we were away, or the server restarted), unless it arrived live after the load began.
   */
  applyList(list: readonly TInterventionView[], settings?: TInterventionSettings): void {
    const listed = new Set(list.map((v) => v.id));
    const touched = this.touchedSinceLoad ?? new Set<string>();
    this.touchedSinceLoad = undefined;
    for (const view of list) this.put(view);
    for (const view of [...this.byId.values()]) {
      if (isFinal(view.stage) || listed.has(view.id) || touched.has(view.id)) continue;
      this.byId.delete(view.id);
      this.index(view, undefined);
      this.idListeners.notify(view.id);
    }
    if (settings) this.setSettings(settings);
    this.trim();
    this.notifyList();
  }

  setSettings(settings: TInterventionSettings): void {
    if (this.settingsValue?.reasonRequired === settings.reasonRequired) return;
    this.settingsValue = settings;
    this.notifyList();
  }

  // ---- reads (stable identities for useSyncExternalStore) ----

  get = (id: string): TInterventionView | undefined => this.byId.get(id);

  /** The intervention in progress on a call, if any. */
  activeForCall = (callUuid: string): TInterventionView | undefined =>
    this.activeByCall.get(callUuid);

  /** The intervention in progress whose target is this agent, if any. */
  activeForAgent = (agentId: string): TInterventionView | undefined =>
    this.activeByAgent.get(agentId);

  /** Newest first. */
  list = (): TInterventionView[] => {
    this.listCache ??= [...this.byId.values()].sort(byNewest);
    return this.listCache;
  };

  settings = (): TInterventionSettings | undefined => this.settingsValue;

  // ---- subscriptions ----

  subscribeCall = (callUuid: string, listener: Listener): (() => void) =>
    this.callListeners.add(callUuid, listener);

  subscribeAgent = (agentId: string, listener: Listener): (() => void) =>
    this.agentListeners.add(agentId, listener);

  subscribeId = (id: string, listener: Listener): (() => void) =>
    this.idListeners.add(id, listener);

  /** The panel and the settings: any change. */
  subscribeList = (listener: Listener): (() => void) => {
    this.listListeners.add(listener);
    return () => this.listListeners.delete(listener);
  };

  // ---- internals ----

  private put(view: TInterventionView): boolean {
    const prev = this.byId.get(view.id);
    if (prev && !isNewer(prev, view)) return false;
    this.byId.set(view.id, view);
    this.index(prev, isFinal(view.stage) ? undefined : view);
    this.idListeners.notify(view.id);
    this.listCache = undefined;
    return true;
  }

  /** Moves the in-progress lookups from `prev` (if it held them) to `next`. */
  private index(prev: TInterventionView | undefined, next: TInterventionView | undefined): void {
    const id = prev?.id ?? next?.id;
    const calls = new Set<string>();
    const agents = new Set<string>();
    if (prev && this.activeByCall.get(prev.callUuid)?.id === id) {
      this.activeByCall.delete(prev.callUuid);
      calls.add(prev.callUuid);
    }
    if (prev && this.activeByAgent.get(prev.targetAgentId)?.id === id) {
      this.activeByAgent.delete(prev.targetAgentId);
      agents.add(prev.targetAgentId);
    }
    if (next) {
      this.activeByCall.set(next.callUuid, next);
      this.activeByAgent.set(next.targetAgentId, next);
      calls.add(next.callUuid);
      agents.add(next.targetAgentId);
    }
    this.listCache = undefined;
    for (const uuid of calls) this.callListeners.notify(uuid);
    for (const agentId of agents) this.agentListeners.notify(agentId);
  }

  /** Keeps every intervention in progress and the newest `keepFinished` finished ones. */
  private trim(): void {
    const finished = this.list().filter((v) => isFinal(v.stage));
    if (finished.length <= this.keepFinished) return;
    for (const view of finished.slice(this.keepFinished)) {
      this.byId.delete(view.id);
      this.idListeners.notify(view.id);
    }
    this.listCache = undefined;
  }

  private notifyList(): void {
    this.listCache = undefined;
    for (const listener of this.listListeners) listener();
  }
}
