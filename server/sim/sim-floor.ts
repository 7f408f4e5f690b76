import type { ChannelHub } from "./channel-hub";
import { createScopedClock, type TClock, type TScopedClock } from "./clock";
import { SimEngine } from "./engine";
import { buildCompany } from "./floor";
import type { TSimOptions } from "./options";
import { createRng } from "./random";
import { RequestRouter } from "./request-router";
import type { SimStats } from "./stats";
import { TrafficModel } from "./traffic-model";

/**
 * One generation of the floor: agents, calls, router and traffic model built from the seed.
 * A reset disposes it (every timer it started dies with its scoped clock) and builds a new one.
 */
export class SimFloor {
  readonly engine: SimEngine;
  readonly router: RequestRouter;
  readonly model: TrafficModel;
  private readonly clock: TScopedClock;

  constructor(options: TSimOptions, baseClock: TClock, hub: ChannelHub, stats: SimStats) {
    this.clock = createScopedClock(baseClock);
    this.engine = new SimEngine(this.clock, createRng(`${options.seed}/engine`), options, hub);
    for (const companyCode of options.companies) {
      this.engine.addCompany(
        buildCompany(options.seed, companyCode, options.agentsPerCompany, this.clock.now()),
      );
    }
    this.router = new RequestRouter(this.engine, hub, stats, options.maxConcurrentCalls);
    this.model = new TrafficModel(
      this.engine,
      this.router,
      this.clock,
      createRng(`${options.seed}/model`),
      options.callRatePerMinute,
    );
    this.model.start();
  }

  dispose(): void {
    this.clock.dispose();
  }
}
