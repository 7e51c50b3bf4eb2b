#!/usr/bin/env bash
# Installs the programs the tests start on 127.0.0.1: git daemon, the OCI registry, podman + docker-compose,
# busybox for test images, htpasswd for registry auth, openssl for the token-auth registry, sshd for git over ssh.
set -euo pipefail
need=(podman docker-compose docker-registry skopeo busybox htpasswd openssl git /usr/sbin/sshd ssh-keygen)
missing=0
for cmd in "${need[@]}"; do command -v "$cmd" >/dev/null 2>&1 || missing=1; done
if [ "$missing" = 1 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends podman docker-compose docker-registry skopeo busybox-static \
    apache2-utils openssl git openssh-server openssh-client runc slirp4netns uidmap fuse-overlayfs ca-certificates >/dev/null
fi
