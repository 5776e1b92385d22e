#!/bin/sh
# install-deps.sh - install the Debian 12 packages sepkernel needs, if missing.
set -e
PKGS="make gcc gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf
picolibc-riscv64-unknown-elf qemu-system-misc opensbi device-tree-compiler
python3 python3-pytest python3-pytest-timeout python3-pytest-xdist
python3-hypothesis python3-cryptography python3-pytest-rerunfailures gdb-multiarch chromium u-boot-qemu
linux-source-6.1 gcc-riscv64-linux-gnu libc6-dev bc bison flex xz-utils"
# The last line builds Linux for a partition (make linux): the source
# package, its cross compiler, and what a tinyconfig build runs on the
# host (kconfig's parser: bison, flex; timeconst.h: bc; the tarball: xz).
# No module signing, no objtool on RISC-V: no libssl-dev or libelf-dev.
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing
