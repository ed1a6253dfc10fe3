/**
 * Candidate machines: a few shipped presets and the conversion of their limits to the plan's units.
 * Network bandwidth is quoted in Gbit/s (10^9 bits) by vendors: bytes/s = Gbit/s × 10^9 / 8, so
 * 10 Gbit/s = 1,250 MB/s. Disk throughput is in MB/s (10^6 bytes), memory in GiB (2^30 bytes).
 * Presets give only what the vendor states for the shape; disk depends on the attached storage,
 * so it is left for the workload to say (a limit that is not given is not checked).
 */
export interface MachineSpec {
  name: string;
  cores: number;
  /** sustained network bandwidth per direction, Gbit/s */
  nicGbps: number;
  memoryGiB?: number | undefined;
  /** sustained local disk throughput (reads + writes), MB/s */
  diskMBps?: number | undefined;
  /** local disk capacity for RocksDB state, GB */
  diskGB?: number | undefined;
  /** where the numbers come from */
  note?: string | undefined;
}

export const MACHINE_PRESETS: Readonly<Record<string, MachineSpec>> = {
  'napkin-16c-10g': {
    name: 'napkin-16c-10g',
    cores: 16,
    nicGbps: 10,
    note: 'The field report\'s example machine: 16 cores, guaranteed 10 Gbit/s Ethernet; memory and disk not stated.',
  },
  'aws-m5.8xlarge': {
    name: 'aws-m5.8xlarge',
    cores: 32,
    memoryGiB: 128,
    nicGbps: 10,
    note: 'AWS EC2 m5.8xlarge: 32 vCPU, 128 GiB, 10 Gigabit network (sustained). Disk: set diskMBps for the attached EBS volume.',
  },
  'aws-c5.9xlarge': {
    name: 'aws-c5.9xlarge',
    cores: 36,
    memoryGiB: 72,
    nicGbps: 10,
    note: 'AWS EC2 c5.9xlarge: 36 vCPU, 72 GiB, 10 Gigabit network (sustained). Disk: set diskMBps for the attached EBS volume.',
  },
  'aws-c5.4xlarge': {
    name: 'aws-c5.4xlarge',
    cores: 16,
    memoryGiB: 32,
    nicGbps: 5,
    note: 'AWS EC2 c5.4xlarge: 16 vCPU, 32 GiB, "up to 10 Gigabit" — the 5 Gbit/s baseline is used, bursts are not sustained.',
  },
};

export const PRESET_NAMES = Object.keys(MACHINE_PRESETS);

/** Bytes per second of a bandwidth in Gbit/s: × 10^9 bits, ÷ 8 bits per byte. */
export function gbpsToBytesPerSecond(gbps: number): number {
  return (gbps * 1e9) / 8;
}

export const MB = 1e6;
export const GB = 1e9;
export const GIB = 2 ** 30;
