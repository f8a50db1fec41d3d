package io.flockerdocker.agent.catalog;

import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.docker.ListResponse;
import io.flockerdocker.protocol.docker.Volume;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import java.util.List;
import java.util.Optional;

/**
 * This node's read model of the cluster's volumes, answering Get, List and Path without waiting
 * on Flocker or on other nodes (dockerd forgets any volume whose Get fails). Fed by the
 * StateWatcher; the routes tell it about their own successful Create, Mount and Remove at once so
 * that dockerd's next Get (or Path) already sees them.
 */
public interface VolumeView {

  Optional<Volume> get(String name);

  List<Volume> list();

  /**
   * The body of a List reply, {@code {"Volumes":[...],"Err":""}}, as JSON bytes. The catalog
   * serialises it once per published view rather than once per request: with thousands of
   * volumes that serialisation is most of a List's cost.
   */
  default byte[] listJson() {
    return Json.writeBytes(ListResponse.of(list()));
  }

  /** The volume's directory on this node, or "" when it is not here. */
  String path(String name);

  void learnCreated(DatasetConfiguration dataset);

  void learnRemoved(String name);

  /** This node has just mounted {@code datasetId} at {@code path}. */
  void learnMounted(String datasetId, String path);
}
