/**
 * The configuration a harness cluster runs with: `config.yaml` (flat keys, read by 1.19+ and 2.x),
 * the log4j2 configuration, and the JVM options the distribution's scripts would derive.
 *
 * Memory is spelled out component by component (sized for a 2-core / 24 GB machine shared with
 * other work) because TaskManagerRunner refuses to start unless every TaskManager memory component
 * is configured, which the distribution's scripts otherwise compute with BashJavaUtils; the JVM
 * -Xmx / MaxDirectMemorySize / MaxMetaspaceSize below are the sums those scripts would pass.
 */

/** `env.java.opts.all` of the distribution's config.yaml (identical in 1.18 – 2.3): Java 17 module access. */
export const JAVA_17_OPTS = [
  '--add-exports=java.base/sun.net.util=ALL-UNNAMED',
  '--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED',
  '--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED',
  '--add-opens=java.base/java.lang=ALL-UNNAMED',
  '--add-opens=java.base/java.net=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens=java.base/java.lang.reflect=ALL-UNNAMED',
  '--add-opens=java.base/java.text=ALL-UNNAMED',
  '--add-opens=java.base/java.time=ALL-UNNAMED',
  '--add-opens=java.base/java.util=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED',
] as const;

/** MiB of each memory component. */
const JM = { heap: 512, offHeap: 128, metaspace: 256 };
const TM = { frameworkHeap: 128, taskHeap: 384, frameworkOffHeap: 128, taskOffHeap: 0, network: 64, managed: 64, metaspace: 256, overhead: 192 };

export function jobManagerJvmOpts(): string[] {
  return [`-Xmx${JM.heap}m`, `-Xms${JM.heap}m`, `-XX:MaxDirectMemorySize=${JM.offHeap}m`, `-XX:MaxMetaspaceSize=${JM.metaspace}m`];
}

export function taskManagerJvmOpts(): string[] {
  const heap = TM.frameworkHeap + TM.taskHeap;
  const direct = TM.frameworkOffHeap + TM.taskOffHeap + TM.network;
  return [`-Xmx${heap}m`, `-Xms${heap}m`, `-XX:MaxDirectMemorySize=${direct}m`, `-XX:MaxMetaspaceSize=${TM.metaspace}m`];
}

export interface ConfigInput {
  readonly version: string;
  readonly restPort: number;
  readonly rpcPort: number;
  readonly slotsPerTaskManager: number;
  /** How often the JobManager's MetricFetcher may refresh REST metric values. */
  readonly fetcherIntervalMs: number;
  /** Per-cluster scratch folder: io.tmp.dirs, checkpoints, savepoints, uploads. */
  readonly workDir: string;
  readonly extra: Readonly<Record<string, string>>;
}

export function isFlink1(version: string): boolean {
  return version.startsWith('1.');
}

export function clusterConfig(input: ConfigInput): Record<string, string> {
  const { workDir } = input;
  const config: Record<string, string> = {
    'jobmanager.rpc.address': '127.0.0.1',
    'jobmanager.rpc.port': String(input.rpcPort),
    'jobmanager.bind-host': '127.0.0.1',
    'taskmanager.bind-host': '127.0.0.1',
    'taskmanager.host': '127.0.0.1',
    'rest.address': '127.0.0.1',
    'rest.bind-address': '127.0.0.1',
    'rest.port': String(input.restPort),
    'blob.server.port': '0',
    'taskmanager.rpc.port': '0',
    'taskmanager.data.port': '0',
    'metrics.internal.query-service.port': '0',
    'metrics.fetcher.update-interval': String(input.fetcherIntervalMs),
    'taskmanager.numberOfTaskSlots': String(input.slotsPerTaskManager),
    // Required by TaskManagerRunner like the memory components; the scripts default it to the slot count.
    'taskmanager.cpu.cores': String(input.slotsPerTaskManager),
    'parallelism.default': '1',
    'jobmanager.memory.heap.size': `${JM.heap}m`,
    'jobmanager.memory.off-heap.size': `${JM.offHeap}m`,
    'jobmanager.memory.jvm-metaspace.size': `${JM.metaspace}m`,
    'taskmanager.memory.framework.heap.size': `${TM.frameworkHeap}m`,
    'taskmanager.memory.task.heap.size': `${TM.taskHeap}m`,
    'taskmanager.memory.framework.off-heap.size': `${TM.frameworkOffHeap}m`,
    'taskmanager.memory.task.off-heap.size': `${TM.taskOffHeap}m`,
    'taskmanager.memory.network.min': `${TM.network}m`,
    'taskmanager.memory.network.max': `${TM.network}m`,
    'taskmanager.memory.managed.size': `${TM.managed}m`,
    'taskmanager.memory.jvm-metaspace.size': `${TM.metaspace}m`,
    // min = max, as the scripts pass it: the TaskExecutor re-derives the process size from the components.
    'taskmanager.memory.jvm-overhead.min': `${TM.overhead}m`,
    'taskmanager.memory.jvm-overhead.max': `${TM.overhead}m`,
    'io.tmp.dirs': `${workDir}/io`,
    'web.tmpdir': `${workDir}/web`,
    'web.upload.dir': `${workDir}/upload`,
    'execution.checkpointing.dir': `file://${workDir}/checkpoints`,
    'execution.checkpointing.savepoint-dir': `file://${workDir}/savepoints`,
    'state.backend.type': 'hashmap',
    'jobmanager.execution.failover-strategy': 'region',
    'heartbeat.timeout': '30000',
    // The defaults (10 s) fail JVM start-up and RPC on a 2-core machine busy with other work.
    'pekko.startup-timeout': '60 s',
    'pekko.ask.timeout': '60 s',
    'pekko.tcp.timeout': '60 s',
    'env.java.opts.all': JAVA_17_OPTS.join(' '),
  };
  if (isFlink1(input.version)) {
    // 1.20 still reads the pre-2.0 keys; 2.x only the new ones.
    config['state.checkpoints.dir'] = config['execution.checkpointing.dir'] ?? '';
    config['state.savepoints.dir'] = config['execution.checkpointing.savepoint-dir'] ?? '';
  }
  return { ...config, ...input.extra };
}

/** Flat `key: value` YAML; every value quoted so YAML never retypes it. */
export function renderConfigYaml(config: Readonly<Record<string, string>>): string {
  return `${Object.entries(config)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join('\n')}\n`;
}

/** log4j2 properties: everything at INFO into the file the JVM names in -Dlog.file. */
export const LOG4J_PROPERTIES = `rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
appender.main.name = MainAppender
appender.main.type = File
appender.main.append = true
appender.main.fileName = \${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
logger.netty.name = org.apache.flink.shaded.netty4.io.netty.channel.DefaultChannelPipeline
logger.netty.level = OFF
`;
