/** The device wire format of CONTRACT.md (`POST /api/v1/telemetry`), as the simulator sends it. */

export type Ts = string | number;

interface Base {
  seq: number;
  /** RFC 3339 with an offset, or epoch ms: devices differ, both are in the contract. */
  ts: Ts;
}

export interface StatusMessage extends Base {
  type: 'status';
  battery_soc?: number;
  battery_v?: number;
  solar_w?: number;
  load_w?: number;
  temp_c?: number;
  ports_in_use?: number;
  open?: boolean;
  fault_codes?: string[];
}

export interface ChargingSessionMessage extends Base {
  type: 'charging_session';
  port: number;
  started_at: Ts;
  ended_at: Ts;
  energy_wh: number;
  peak_w?: number;
}

export interface StockMessage extends Base {
  type: 'stock';
  levels: Record<string, number>;
}

export interface ItemMessage extends Base {
  type: 'dispense' | 'restock' | 'lend' | 'return';
  item: string;
  qty: number;
  by?: string;
  expires?: string;
}

export interface VisitMessage extends Base {
  type: 'visit';
  count: number;
}

export interface FaultMessage extends Base {
  type: 'fault';
  code: string;
  active: boolean;
  detail?: string;
}

export interface HeartbeatMessage extends Base {
  type: 'heartbeat';
}

export type Message = StatusMessage | ChargingSessionMessage | StockMessage | ItemMessage | VisitMessage | FaultMessage | HeartbeatMessage;

/** What a device's model produces before the device stamps it: true time, no seq yet. */
export type Reading = DistributiveOmit<Message, 'seq' | 'ts' | 'started_at' | 'ended_at'> & {
  /** True instant (epoch ms). */
  at: number;
  /** charging_session: true start / end instants. */
  startedAt?: number;
  endedAt?: number;
};

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A stamped message and when the device actually transmits it (true time, epoch ms). */
export interface Outgoing {
  message: Message;
  sendAt: number;
  /** When the reading happened (true time, epoch ms). */
  at: number;
}

export interface TelemetryResponse {
  accepted: number;
  duplicates: number;
  rejected: Array<{ index: number; seq?: number; code: string; detail: string }>;
  server_time: string;
}
