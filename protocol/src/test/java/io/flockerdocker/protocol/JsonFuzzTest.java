package io.flockerdocker.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.flockerdocker.protocol.docker.CreateRequest;
import io.flockerdocker.protocol.docker.GetResponse;
import io.flockerdocker.protocol.docker.ListResponse;
import io.flockerdocker.protocol.docker.MountRequest;
import io.flockerdocker.protocol.docker.NameRequest;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.ErrorDescription;
import io.flockerdocker.protocol.flocker.Lease;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random bodies (garbage bytes, truncated and mutated golden bodies) never make Json throw
 * anything but {@link ProtocolException}: dockerd re-sends an empty body after a crash (spec §6),
 * and a handler must answer that with an Err, not die. Failures print the seed to replay.
 */
class JsonFuzzTest {
  private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
  private static final int ROUNDS = 3000;

  private static final List<Object[]> GOLDEN =
      List.of(
          new Object[] {"docker/create-request-opts.json", CreateRequest.class},
          new Object[] {"docker/create-request-opts-null.json", CreateRequest.class},
          new Object[] {"docker/mount-request.json", MountRequest.class},
          new Object[] {"docker/name-request.json", NameRequest.class},
          new Object[] {"docker/get-response.json", GetResponse.class},
          new Object[] {"docker/list-response.json", ListResponse.class},
          new Object[] {"flocker/dataset-configuration.json", DatasetConfiguration.class},
          new Object[] {"flocker/dataset-state-mounted.json", DatasetState.class},
          new Object[] {"flocker/lease-permanent.json", Lease.class},
          new Object[] {"flocker/create-dataset-request-full.json", CreateDatasetRequest.class},
          new Object[] {"flocker/error-schema.json", ErrorDescription.class});

  private static final byte[] JSONISH = "{}[]\":,0123456789.eE+-truefalsenull \\u\n\t".getBytes(StandardCharsets.US_ASCII);

  @Test
  void randomBytesOnlyEverYieldProtocolException() {
    Random random = new Random(SEED);
    for (int i = 0; i < ROUNDS; i++) {
      byte[] body = new byte[random.nextInt(64)];
      if (random.nextBoolean()) {
        random.nextBytes(body);
      } else {
        for (int j = 0; j < body.length; j++) {
          body[j] = JSONISH[random.nextInt(JSONISH.length)];
        }
      }
      Object[] target = GOLDEN.get(random.nextInt(GOLDEN.size()));
      check(body, (Class<?>) target[1], i);
    }
  }

  @Test
  void truncatedAndMutatedGoldenBodiesOnlyEverYieldProtocolException() {
    Random random = new Random(SEED);
    for (int i = 0; i < ROUNDS; i++) {
      Object[] target = GOLDEN.get(random.nextInt(GOLDEN.size()));
      byte[] golden = Golden.bytes((String) target[0]);
      byte[] body = Arrays.copyOf(golden, random.nextInt(golden.length + 1));
      if (random.nextBoolean() && body.length > 0) {
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
          body[random.nextInt(body.length)] = JSONISH[random.nextInt(JSONISH.length)];
        }
      }
      check(body, (Class<?>) target[1], i);
    }
  }

  @Test
  void everyStrictPrefixOfAGoldenBodyIsRejected() {
    for (Object[] target : GOLDEN) {
      byte[] golden = Golden.bytes((String) target[0]);
      String trimmed = new String(golden, StandardCharsets.UTF_8).stripTrailing();
      for (int end = 0; end < trimmed.length(); end++) {
        byte[] prefix = trimmed.substring(0, end).getBytes(StandardCharsets.UTF_8);
        try {
          Json.read(prefix, (Class<?>) target[1]);
          fail("accepted a truncated %s: %s", target[0], trimmed.substring(0, end));
        } catch (ProtocolException expected) {
          JsonStrictnessTest.assertHuman(expected.getMessage());
        }
      }
    }
  }

  private static void check(byte[] body, Class<?> type, int round) {
    try {
      Json.read(body, type);
    } catch (ProtocolException e) {
      assertThat(e.getMessage())
          .as("seed %d round %d body %s", SEED, round, Arrays.toString(body))
          .isNotBlank()
          .doesNotContain("com.fasterxml");
    } catch (RuntimeException | Error e) {
      throw new AssertionError(
          "seed " + SEED + " (replay with -Dfuzz.seed=" + SEED + ") round " + round + ": "
              + type.getSimpleName() + " from " + Arrays.toString(body) + " threw " + e, e);
    }
  }
}
