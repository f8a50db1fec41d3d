#!/usr/bin/env bash
# docker-hosts.sh - flocker-docker's real-Docker lab: N dockerd "hosts" on one Linux machine
# (adapted from the tested recipe in shared/tools/docker-hosts.md). Host I has:
#   * network namespace ${PFX}-hI, eth0 = ${SUBNET}.I/24, joined to the other hosts by bridge br0
#     in namespace ${PFX}-sw (nothing is configured in the root network namespace);
#   * a persistent mount namespace ($LAB/ns/hI.mnt) where /etc/docker and /run are bind mounts of
#     $LAB/hI/etc-docker and $LAB/hI/run (own plugin dirs, engine ID, containerd sockets), and
#     $DATA_ROOT is a PRIVATE tmpfs: data reaches another host only over the network. With
#     ROOTS=shared, one directory ($SHARED_ROOT) is also bind-mounted at $SHARED_AT on every host;
#   * its own dockerd (API socket $LAB/hI/docker.sock, cgroup parent ${PFX}-hI), busybox:local.
#
# Usage (as root):
#   docker-hosts.sh up [N]              start N hosts (default 2)
#   docker-hosts.sh docker I ARGS...    docker client against host I
#   docker-hosts.sh exec I CMD...       run CMD in the foreground inside host I's net+mount namespaces
#   docker-hosts.sh spawn I NAME CMD... start CMD in the background inside host I
#                                       (pid $LAB/hI/procs/NAME.pid, log appended to NAME.log)
#   docker-hosts.sh kill I NAME [SIG]   signal a spawned process (default TERM) and wait until it exits
#   docker-hosts.sh restart I           restart host I's dockerd
#   docker-hosts.sh stop I | start I    stop host I's dockerd (its containers stop with it) / start it
#   docker-hosts.sh status
#   docker-hosts.sh down                stop everything, delete namespaces/cgroups/mounts, rm -rf $LAB
#
# Environment: LAB (/tmp/fdlab) PFX (derived from LAB) SUBNET (10.77.0) STORAGE (overlay2|vfs)
#   ROOTS (private|shared) ROOT_SIZE (2g) DATA_ROOT (/var/lib/flocker-docker)
#   SHARED_ROOT ($LAB/shared-root) SHARED_AT ($DATA_ROOT/datasets)
#   KEEP_LOGS (dir: down copies every log there first)
#   DOCKERD (/usr/sbin/dockerd) CLIENT (/usr/bin/docker)
set -euo pipefail

LAB=${LAB:-/tmp/fdlab}
# netns and cgroup names are machine-wide: a prefix per lab dir keeps parallel labs apart
PFX=${PFX:-fd$(printf %s "$LAB" | cksum | cut -c1-6)}
SUBNET=${SUBNET:-10.77.0}
STORAGE=${STORAGE:-overlay2}
ROOTS=${ROOTS:-private}
ROOT_SIZE=${ROOT_SIZE:-2g}
DATA_ROOT=${DATA_ROOT:-/var/lib/flocker-docker}
SHARED_ROOT=${SHARED_ROOT:-$LAB/shared-root}
SHARED_AT=${SHARED_AT:-$DATA_ROOT/datasets}
DOCKERD=${DOCKERD:-/usr/sbin/dockerd}
CLIENT=${CLIENT:-/usr/bin/docker}

die() { echo "docker-hosts: $*" >&2; exit 1; }
log() { echo "[docker-hosts] $*" >&2; }
hdir() { echo "$LAB/h$1"; }
netns() { echo "${PFX}-h$1"; }
swns() { echo "${PFX}-sw"; }
mntns() { echo "$LAB/ns/h$1.mnt"; }
sock() { echo "$LAB/h$1/docker.sock"; }
dk() { local i=$1; shift; "$CLIENT" -H "unix://$(sock "$i")" "$@"; }
in_host() { local i=$1; shift; nsenter --net="/run/netns/$(netns "$i")" --mount="$(mntns "$i")" --wd=/ -- "$@"; }
nhosts() { cat "$LAB/hosts" 2>/dev/null || echo 0; }
ns_inode() { stat -L -c %i "$(mntns "$1")" 2>/dev/null || true; }
# ours I PID: PID lives in host I's mount namespace (guards against stale pidfiles and PID reuse)
ours() { local ino; ino=$(ns_inode "$1"); [ -n "$ino" ] && [ "$(readlink "/proc/$2/ns/mnt" 2>/dev/null)" = "mnt:[$ino]" ]; }
# alive = exists and is not a zombie (re-parented daemons are reaped late; kill -0 succeeds on zombies)
alive() { [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
check_host() { [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le "$(nhosts)" ] || die "no host '$1' in $LAB"; }
check_name() { [[ "$1" =~ ^[A-Za-z0-9._-]+$ ]] || die "bad process name '$1'"; }

build_busybox_tar() {
  local r="$LAB/bbroot" a
  [ -x /bin/busybox ] || die "/bin/busybox missing (apt-get install -y busybox-static)"
  mkdir -p "$r"/{bin,etc,proc,sys,dev,tmp,data,root}
  cp /bin/busybox "$r/bin/busybox"
  for a in $("$r/bin/busybox" --list); do [ "$a" = busybox ] || ln -sf busybox "$r/bin/$a"; done
  echo 'root:x:0:0:root:/root:/bin/sh' > "$r/etc/passwd"
  echo 'root:x:0:' > "$r/etc/group"
  tar -C "$r" -cf "$LAB/busybox.tar" .
  rm -rf "$r"
}

wait_docker() {
  local i=$1 t d; d=$(hdir "$i")
  for t in $(seq 1 120); do
    dk "$i" version >/dev/null 2>&1 && return 0
    if ! alive "$(cat "$d/dockerd.launcher.pid")"; then
      tail -5 "$d/dockerd.log" >&2; die "dockerd of host $i exited (log $d/dockerd.log)"
    fi
    sleep 0.25
  done
  tail -20 "$d/dockerd.log" >&2; die "dockerd of host $i not ready after 30s (log $d/dockerd.log)"
}

start_dockerd() {
  local i=$1 d; d=$(hdir "$i")
  # nsenter, NOT 'ip netns exec' (it remounts /sys and hides /sys/fs/cgroup). nsenter (net+mnt)
  # and setsid both exec without forking, so $! is dockerd; setsid keeps our signals off it.
  nsenter --net="/run/netns/$(netns "$i")" --mount="$(mntns "$i")" --wd=/ -- setsid "$DOCKERD" \
      --storage-driver="$STORAGE" --bridge=none --iptables=false --ip6tables=false \
      --host "unix://$(sock "$i")" \
      --data-root "$d/root" --exec-root "$d/exec" --pidfile "$d/dockerd.pid" \
      --cgroup-parent "${PFX}-h$i" \
      >>"$d/dockerd.log" 2>&1 </dev/null &
  echo $! > "$d/dockerd.launcher.pid"
  wait_docker "$i"
}

# host I's private dataset root (tmpfs, like a local disk; agents keep their state there too);
# with ROOTS=shared, $SHARED_ROOT is also mounted at $SHARED_AT on every host, as NFS would be
mount_data_root() {
  local i=$1
  in_host "$i" mount -t tmpfs -o "size=$ROOT_SIZE,mode=0755" "${PFX}-h$i-data" "$DATA_ROOT"
  if [ "$ROOTS" = shared ]; then
    in_host "$i" sh -ec "mkdir -p '$SHARED_AT'; mount --bind '$SHARED_ROOT' '$SHARED_AT'"
  fi
}

cmd_up() {
  local n=${1:-2} i d
  [ "$(id -u)" = 0 ] || die "must be root"
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 200 ] || die "bad host count '$n'"
  case "$ROOTS" in private | shared) ;; *) die "ROOTS must be private or shared, not '$ROOTS'" ;; esac
  [ -x "$DOCKERD" ] || die "$DOCKERD missing (apt-get install -y docker.io)"
  [ -e "$LAB/hosts" ] && die "$LAB/hosts exists: already up (run '$0 down' first)"
  ip netns list | grep -q "^$(swns)\b" && die "netns $(swns) exists: another lab uses prefix $PFX"
  mkdir -p "$LAB/ns" /etc/docker "$DATA_ROOT"   # mount points must exist before the namespaces copy /
  [ "$ROOTS" = shared ] && mkdir -p "$SHARED_ROOT"
  [ -e /run/mount ] && touch "$LAB/had-run-mount"   # libmount creates /run/mount (utab) on first mount
  # a private bind mount holds the persistent mount-namespace files
  mountpoint -q "$LAB/ns" || { mount --bind "$LAB/ns" "$LAB/ns"; mount --make-private "$LAB/ns"; }
  build_busybox_tar
  echo "$n" > "$LAB/hosts"

  ip netns add "$(swns)"
  ip -n "$(swns)" link set lo up
  ip -n "$(swns)" link add br0 type bridge
  ip -n "$(swns)" link set br0 up

  for i in $(seq 1 "$n"); do
    d=$(hdir "$i")
    mkdir -p "$d"/{etc-docker/plugins,run/docker/plugins,root,exec,procs}
    ip netns add "$(netns "$i")"
    ip -n "$(swns)" link add "veth$i" type veth peer name eth0 netns "$(netns "$i")"
    ip -n "$(swns)" link set "veth$i" master br0 up
    ip -n "$(netns "$i")" link set lo up
    ip -n "$(netns "$i")" addr add "$SUBNET.$i/24" dev eth0
    ip -n "$(netns "$i")" link set eth0 up

    touch "$(mntns "$i")"
    unshare --mount="$(mntns "$i")" --propagation private true
    nsenter --mount="$(mntns "$i")" -- sh -ec "
      umount -l '$LAB/ns' 2>/dev/null || true
      mount --bind '$d/etc-docker' /etc/docker
      mount --bind '$d/run' /run"
    mount_data_root "$i"
    start_dockerd "$i"
    dk "$i" import - busybox:local < "$LAB/busybox.tar" >/dev/null
    log "host $i up: netns $(netns "$i") ip $SUBNET.$i  DOCKER_HOST=unix://$(sock "$i")  $ROOTS root $DATA_ROOT"
  done
}

cmd_restart() {
  local i=${1:?host} d pid; check_host "$i"; d=$(hdir "$i"); pid=$(cat "$d/dockerd.pid")
  ours "$i" "$pid" || die "pid $pid is not host $i's dockerd"
  kill_pid_wait "$pid" 60 TERM
  start_dockerd "$i"
  log "host $i: dockerd restarted, pid $(cat "$d/dockerd.pid")"
}

cmd_stop() {
  local i=${1:?host} d pid; check_host "$i"; d=$(hdir "$i"); pid=$(cat "$d/dockerd.pid")
  ours "$i" "$pid" || { log "host $i: dockerd (pid $pid) is not running"; return 0; }
  kill_pid_wait "$pid" 60 TERM
  log "host $i: dockerd stopped"
}

cmd_start() {
  local i=${1:?host} d; check_host "$i"; d=$(hdir "$i")
  if [ -f "$d/dockerd.pid" ] && ours "$i" "$(cat "$d/dockerd.pid")" && alive "$(cat "$d/dockerd.pid")"; then
    die "host $i: dockerd is already running"
  fi
  start_dockerd "$i"
  log "host $i: dockerd started, pid $(cat "$d/dockerd.pid")"
}

cmd_spawn() {
  local i=${1:?host} name=${2:?name}; shift 2; check_host "$i"; check_name "$name"
  [ $# -gt 0 ] || die "spawn: no command"
  local p; p="$(hdir "$i")/procs"
  if [ -f "$p/$name.pid" ] && ours "$i" "$(cat "$p/$name.pid")" && alive "$(cat "$p/$name.pid")"; then
    die "host $i: $name is already running (pid $(cat "$p/$name.pid"))"
  fi
  # append: a restarted process keeps the log of its earlier life
  echo "=== $(date -u +%FT%TZ) spawn on host $i: $*" >>"$p/$name.log"
  nsenter --net="/run/netns/$(netns "$i")" --mount="$(mntns "$i")" --wd=/ -- setsid "$@" >>"$p/$name.log" 2>&1 </dev/null &
  echo $! > "$p/$name.pid"
  echo $!
}

kill_pid_wait() {  # pid seconds signal: TERM escalates to KILL after the wait, others just wait
  local p=$1 s=$2 sig=$3 t
  alive "$p" || return 0
  kill -"$sig" "$p" 2>/dev/null || true
  for t in $(seq 1 $((s * 10))); do alive "$p" || return 0; sleep 0.1; done
  [ "$sig" = TERM ] || die "pid $p still alive ${s}s after SIG$sig"
  log "pid $p ignored SIGTERM for ${s}s, sending SIGKILL"; kill -KILL "$p" 2>/dev/null || true
}

cmd_kill() {
  local i=${1:?host} name=${2:?name} sig=${3:-TERM} pid; check_host "$i"; check_name "$name"
  sig=${sig#SIG}
  pid=$(cat "$(hdir "$i")/procs/$name.pid" 2>/dev/null) || die "host $i: no process named $name"
  ours "$i" "$pid" || { log "host $i: $name (pid $pid) is not running"; return 0; }
  kill_pid_wait "$pid" 30 "$sig"
}

cmd_status() {
  local i d
  for i in $(seq 1 "$(nhosts)"); do
    d=$(hdir "$i")
    echo "host $i: dockerd $(dk "$i" version --format '{{.Server.Version}}' 2>/dev/null || echo DOWN)  ip $(ip -n "$(netns "$i")" -4 -o addr show dev eth0 2>/dev/null | awk '{print $4}')"
    for p in "$d"/procs/*.pid; do
      [ -f "$p" ] || continue
      if ours "$i" "$(cat "$p")" && alive "$(cat "$p")"; then s=running; else s=stopped; fi
      echo "    $(basename "$p" .pid): pid $(cat "$p") $s"
    done
  done
}

cmd_down() {
  local n i p m
  n=$(nhosts)
  # also cover hosts whose netns exists but whose $LAB dir is gone
  for m in $(ip netns list | sed -n "s/^${PFX}-h\([0-9]*\).*/\1/p"); do [ "$m" -gt "$n" ] && n=$m; done
  for i in $(seq 1 "$n"); do
    local d ino; d=$(hdir "$i"); ino=$(ns_inode "$i")
    # 1. containers first, while the plugin still answers Unmount
    if [ -S "$(sock "$i")" ] && dk "$i" version >/dev/null 2>&1; then
      local ids; ids=$(dk "$i" ps -aq)
      [ -n "$ids" ] && { dk "$i" rm -f $ids >/dev/null 2>&1 || log "host $i: docker rm -f failed"; }
    fi
    # 2. dockerd (it stops its containerd), then spawned processes; only PIDs in this host's mount ns
    for p in "$d/dockerd.pid" "$d/dockerd.launcher.pid" "$d"/procs/*.pid; do
      [ -f "$p" ] || continue
      if ours "$i" "$(cat "$p")"; then kill_pid_wait "$(cat "$p")" 20 TERM; fi
    done
    # 3. safety net: anything still in this host's mount namespace was started by the lab
    if [ -n "$ino" ]; then
      for p in /proc/[0-9]*; do
        [ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "mnt:[$ino]" ] || continue
        alive "${p#/proc/}" || continue
        log "leftover pid ${p#/proc/} in host $i: $(tr '\0' ' ' < "$p/cmdline" | cut -c1-80)"
        kill -KILL "${p#/proc/}" 2>/dev/null || true
      done
    fi
    # 4. container cgroups: kill leftovers, remove the dirs depth first
    local cg
    for cg in $(find /sys/fs/cgroup -maxdepth 5 -type d -name "${PFX}-h$i" 2>/dev/null); do
      find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null | while read -r p; do
        log "leftover container pid $p in $cg"; kill -KILL "$p" 2>/dev/null || true; done
      find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null || log "cannot remove cgroup $cg"
    done
    # 5. namespaces: the tmpfs dataset root goes with the last reference to the mount namespace
    [ -e "$(mntns "$i")" ] && { umount "$(mntns "$i")" 2>/dev/null || true; }
    ip netns del "$(netns "$i")" 2>/dev/null || true
  done
  ip netns del "$(swns)" 2>/dev/null || true
  if [ -n "${KEEP_LOGS:-}" ] && [ -d "$LAB" ]; then
    mkdir -p "$KEEP_LOGS"
    for i in $(seq 1 "$n"); do
      for p in "$(hdir "$i")/dockerd.log" "$(hdir "$i")"/procs/*.log; do
        [ -f "$p" ] && cp "$p" "$KEEP_LOGS/h$i-$(basename "$p")"
      done
    done
    log "logs kept in $KEEP_LOGS"
  fi
  if mountpoint -q "$LAB/ns"; then umount "$LAB/ns"; fi
  if [ -e "$LAB/hosts" ] && ! [ -e "$LAB/had-run-mount" ]; then rmdir /run/mount 2>/dev/null || true; fi
  rm -rf "$LAB"
  log "down: lab $LAB removed"
}

cmd=${1:-}; shift || true
case "$cmd" in
  up) cmd_up "$@" ;;
  docker) check_host "${1:-}"; cmd_i=$1; shift; dk "$cmd_i" "$@" ;;
  exec) check_host "${1:-}"; cmd_i=$1; shift; in_host "$cmd_i" "$@" ;;
  spawn) cmd_spawn "$@" ;;
  kill) cmd_kill "$@" ;;
  restart) cmd_restart "$@" ;;
  stop) cmd_stop "$@" ;;
  start) cmd_start "$@" ;;
  status) cmd_status ;;
  down) cmd_down ;;
  *) sed -n '2,28p' "$0"; exit 2 ;;
esac
