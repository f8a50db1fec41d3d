package io.flockerdocker.agent.dataset;

import io.flockerdocker.agent.catalog.VolumeCatalog;
import io.flockerdocker.agent.config.DatasetSettings;
import io.flockerdocker.agent.dataset.transfer.DataClient;
import io.flockerdocker.agent.flocker.FlockerClient;
import io.flockerdocker.agent.metrics.AgentMetrics;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * What one DatasetAgent works with, wired by the Guardian (or a test): this host's identity and
 * data-channel port as others reach it, the control service (for reports only: what it says
 * comes from the node's {@code catalog}, as its StateWatcher feeds it), the backend and data client, the
 * table the data server reads, the io executor for blocking steps, and {@code epoch} (process
 * start, ms) that orders this agent's reports after any earlier incarnation's.
 */
public record DatasetAgentDeps(
    DatasetSettings settings,
    String selfUuid,
    String selfName,
    int dataPort,
    FlockerClient flocker,
    VolumeCatalog catalog,
    DatasetBackend backend,
    DataClient client,
    ServedCopies served,
    AgentMetrics metrics,
    Executor io,
    Function<String, String> nameOf,
    long epoch) {}
