package io.flockerdocker.agent.cluster;

import io.flockerdocker.agent.mounts.MountTable;
import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.ActorIdentity;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.Identify;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Keeps {@link Nodes} up to date from Pekko Cluster membership and reachability and from the
 * receptionist's list of MountTables, each counted once it has said it is alive
 * ({@link MountTableRefs}: a restarted agent's previous table may still be listed). Each agent
 * carries its identity in its member roles ({@code name:<name>}, {@code uuid:<uuid>}). A node
 * that leaves stays listed as Removed, so errors can still name a dead mount holder and say since
 * when it is gone.
 */
public final class NodeDirectory extends AbstractBehavior<NodeDirectory.Command> {
  public static final ServiceKey<MountTable.Command> MOUNT_TABLES =
      ServiceKey.create(MountTable.Command.class, "flocker-docker-mount-tables");
  public static final String NAME_ROLE = "name:";
  public static final String UUID_ROLE = "uuid:";

  /** Cluster and receptionist events, adapted. */
  public sealed interface Command {}

  private record MemberChange(ClusterEvent.MemberEvent event) implements Command {}

  private record ReachabilityChange(ClusterEvent.ReachabilityEvent event) implements Command {}

  private record Tables(Receptionist.Listing listing) implements Command {}

  /** A listed table's answer to Identify: alive (its ref) or not. */
  private record Identified(ActorIdentity identity) implements Command {}

  /** Timer: ask the tables that have not answered yet again. */
  private enum AskAgain implements Command {
    INSTANCE
  }

  private static final Duration ASK_AGAIN = Duration.ofSeconds(1);

  private final Nodes nodes;
  private final Clock clock;
  // keyed per incarnation: a restarted agent reuses host:port, and must not inherit the
  // Removed/unreachable state of its previous incarnation (it would never become reachable again)
  private final Map<UniqueAddress, NodeInfo> byAddress = new HashMap<>();
  private final MountTableRefs tables;
  /** Identify questions out, by their correlation id. */
  private final Map<String, ActorRef<MountTable.Command>> asked = new HashMap<>();
  private final ActorRef<ActorIdentity> answers;
  private final TimerScheduler<Command> timers;

  public static Behavior<Command> create(Nodes nodes, Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(
        timers -> new NodeDirectory(ctx, timers, nodes, clock)));
  }

  private NodeDirectory(ActorContext<Command> ctx, TimerScheduler<Command> timers, Nodes nodes,
      Clock clock) {
    super(ctx);
    ctx.setLoggerName(NodeDirectory.class);
    this.nodes = nodes;
    this.clock = clock;
    this.timers = timers;
    this.answers = ctx.messageAdapter(ActorIdentity.class, Identified::new);
    Cluster cluster = Cluster.get(ctx.getSystem());
    Address self = cluster.selfMember().address();
    this.tables = new MountTableRefs(
        r -> r.path().address().hasLocalScope() ? self : r.path().address());
    cluster
        .subscriptions()
        .tell(
            Subscribe.create(
                ctx.messageAdapter(ClusterEvent.MemberEvent.class, MemberChange::new),
                ClusterEvent.MemberEvent.class));
    cluster
        .subscriptions()
        .tell(
            Subscribe.create(
                ctx.messageAdapter(ClusterEvent.ReachabilityEvent.class, ReachabilityChange::new),
                ClusterEvent.ReachabilityEvent.class));
    ctx.getSystem()
        .receptionist()
        .tell(
            Receptionist.subscribe(
                MOUNT_TABLES, ctx.messageAdapter(Receptionist.Listing.class, Tables::new)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(MemberChange.class, m -> onMember(m.event().member()))
        .onMessage(ReachabilityChange.class, this::onReachability)
        .onMessage(Tables.class, this::onTables)
        .onMessage(Identified.class, this::onIdentified)
        .onMessage(AskAgain.class, a -> {
          askUnanswered();
          return this;
        })
        .build();
  }

  private Behavior<Command> onMember(Member member) {
    Optional<String> uuid = role(member, UUID_ROLE);
    if (uuid.isEmpty()) {
      return this;
    }
    NodeInfo old = byAddress.get(member.uniqueAddress());
    boolean reachable = old == null || old.reachable();
    Instant since = old == null ? null : old.unreachableSince();
    String status = member.status().toString();
    boolean gone = "Removed".equals(status) || "Down".equals(status);
    if (gone) {
      reachable = false;
      since = since == null ? clock.instant() : since;
    }
    if (gone || old == null) {
      // an incarnation at this address ended or began: whichever table answered there may be
      // the previous one's
      tables.suspect(member.address());
      askUnanswered();
      refreshTables();
    }
    NodeInfo info =
        new NodeInfo(uuid.get(), role(member, NAME_ROLE).orElse(uuid.get()),
            member.address().toString(), status, reachable, since,
            tables.at(member.address()));
    if (old == null || !old.status().equals(status)) {
      getContext().getLog().info("cluster member [{}] ({}) is {}", info.name(),
          member.address(), status);
    }
    byAddress.put(member.uniqueAddress(), info);
    return publish();
  }

  private Behavior<Command> onReachability(ReachabilityChange m) {
    Member member = m.event().member();
    NodeInfo old = byAddress.get(member.uniqueAddress());
    if (old == null) {
      return this;
    }
    boolean reachable = m.event() instanceof ClusterEvent.ReachableMember;
    Instant since = reachable ? null : clock.instant();
    getContext().getLog().warn("cluster member [{}] is {}", old.name(),
        reachable ? "reachable again" : "UNREACHABLE");
    byAddress.put(member.uniqueAddress(), new NodeInfo(old.uuid(), old.name(), old.address(),
        old.status(), reachable, since, old.mountTable()));
    return publish();
  }

  private Behavior<Command> onTables(Tables m) {
    tables.listed(m.listing().getServiceInstances(MOUNT_TABLES));
    askUnanswered();
    refreshTables();
    return publish();
  }

  private Behavior<Command> onIdentified(Identified m) {
    ActorRef<MountTable.Command> table = asked.remove(String.valueOf(m.identity().correlationId()));
    if (table == null) {
      return this; // answered already, or no longer listed
    }
    tables.answered(table, m.identity().getActorRef().isPresent());
    refreshTables();
    return publish();
  }

  /** Asks every listed table that has not answered whether it is alive, and again later. */
  private void askUnanswered() {
    asked.clear();
    for (ActorRef<MountTable.Command> t : tables.unanswered()) {
      String id = t.path().toSerializationFormat();
      asked.put(id, t);
      Adapter.toClassic(t).tell(new Identify(id), Adapter.toClassic(answers));
    }
    if (!asked.isEmpty() && !timers.isTimerActive(AskAgain.INSTANCE)) {
      timers.startSingleTimer(AskAgain.INSTANCE, ASK_AGAIN);
    }
  }

  private void refreshTables() {
    byAddress.replaceAll((addr, n) -> new NodeInfo(n.uuid(), n.name(), n.address(), n.status(),
        n.reachable(), n.unreachableSince(), tables.at(addr.address())));
  }

  private Behavior<Command> publish() {
    // one entry per agent: a restarted agent is a new member with the same UUID (and the same
    // host:port), and its old incarnation may linger as Leaving/Exiting/Down for a while
    Map<String, NodeInfo> out = new HashMap<>();
    for (NodeInfo n : byAddress.values()) {
      NodeInfo seen = out.get(n.uuid());
      if (seen == null || rank(n) > rank(seen)) {
        out.put(n.uuid(), n);
      }
    }
    int live = 0;
    int reachable = 0;
    for (NodeInfo n : out.values()) {
      if (!gone(n)) {
        live++;
        if (n.reachable()) {
          reachable++;
        }
      }
    }
    nodes.publish(out, live == 0 || reachable * 2 > live);
    return this;
  }

  private static final java.util.List<String> STATUS_RANK =
      java.util.List.of("Removed", "Down", "Exiting", "Leaving", "Joining", "WeaklyUp", "Up");

  private static int rank(NodeInfo n) {
    return STATUS_RANK.indexOf(n.status()) * 2 + (n.reachable() ? 1 : 0);
  }

  private static boolean gone(NodeInfo n) {
    return "Removed".equals(n.status()) || "Down".equals(n.status());
  }

  private static Optional<String> role(Member m, String prefix) {
    return m.getRoles().stream().filter(r -> r.startsWith(prefix))
        .map(r -> r.substring(prefix.length())).findFirst();
  }
}
