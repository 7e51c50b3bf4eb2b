#!/usr/bin/env bash
# Installs the programs the tests start on 127.0.0.1: git daemon, the OCI registry, podman + docker-compose,
# busybox for test images, htpasswd for registry auth, openssl for the token-auth registry, sshd for git over ssh,
# HAProxy + Prometheus (+ hey, nginx) for blue/green.
# Checks packages (not commands): podman's network stack and runtime are not commands on PATH.
set -euo pipefail
packages=(
  git
  docker-registry skopeo
  # the engine for stack tests: rootful `podman system service` (Docker API) driven by docker-compose v1.
  # runc: podman depends on "crun | runc" and apt picks crun, which refuses cgroup setups like our CI VMs'.
  # netavark + aardvark-dns + iptables: podman only depends on "a network stack"; compose networks need
  # netavark's bridge/port forwarding (iptables) and aardvark's DNS so services find each other by name.
  # catatonit: the init process behind compose's `init: true`.
  podman runc conmon netavark aardvark-dns iptables catatonit docker-compose
  # rootless podman only (harmless for root): user namespaces, rootless networking and overlay
  slirp4netns uidmap fuse-overlayfs
  busybox-static tar
  apache2-utils openssl ca-certificates
  # git over ssh: the real sshd (tests) and the ssh client deployflow runs for ssh remotes
  openssh-server openssh-client
  # blue/green: the traffic router (runtime API over its admin socket, built-in Prometheus exporter), the metric
  # store the analysis queries, and hey to cross-check the zero-downtime benchmark's load generator;
  # nginx serves the benchmark's two colours (keep-alive, a deep accept queue, no process per request)
  haproxy prometheus hey nginx
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
