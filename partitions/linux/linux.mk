# partitions/linux/linux.mk - `make linux`: Linux 6.1 for a partition, from
# Debian's linux-source-6.1 and gcc-riscv64-linux-gnu, plus our initramfs.
#
#   build/partitions/linux.Image   the raw RISC-V Image (tinyconfig + linux.config)
#   build/partitions/linux.cpio    newc initramfs: /init (init.c), /dev nodes
#   build/.linux-6.1/               the source tree and objects (hidden: a
#                                   system may be called "linux")
#
# Built once per checkout: the Image depends only on the fragment (and the
# source package), the initramfs only on init.c and mkcpio.py.

LNX_TAR	:= /usr/src/linux-source-6.1.tar.xz
LNX	:= $(B)/.linux-6.1
LNX_SRC	:= $(LNX)/linux-source-6.1
LNX_OBJ	:= $(LNX)/obj
LNX_CROSS := riscv64-linux-gnu-
LNX_MAKE := $(MAKE) --no-print-directory -C $(LNX_SRC) O=$(abspath $(LNX_OBJ)) \
	ARCH=riscv CROSS_COMPILE=$(LNX_CROSS) KBUILD_BUILD_TIMESTAMP=2023-01-01 \
	KBUILD_BUILD_USER=sepkernel KBUILD_BUILD_HOST=build
LNX_FRAG := partitions/linux/linux.config
# The documentation is never read (only its Kconfig, at the top).
LNX_SKIP := --exclude='linux-source-6.1/Documentation/*/*'

$(LNX)/.extracted: $(LNX_TAR)
	@echo "  UNTAR   $(LNX_TAR)"
	$(Q)rm -rf $(LNX_SRC) && mkdir -p $(LNX)
	$(Q)tar -xJf $(LNX_TAR) -C $(LNX) $(LNX_SKIP)
	$(Q)touch $@

$(LNX_OBJ)/.config: $(LNX_FRAG) $(LNX)/.extracted
	@echo "  KCONFIG tinyconfig + $(LNX_FRAG)"
	$(Q)mkdir -p $(LNX_OBJ)
	$(Q)$(LNX_MAKE) tinyconfig >/dev/null
	$(Q)cd $(LNX_OBJ) && $(abspath $(LNX_SRC))/scripts/kconfig/merge_config.sh \
		-m .config $(abspath $(LNX_FRAG)) >/dev/null
	$(Q)$(LNX_MAKE) olddefconfig >/dev/null
	$(Q)$(PY) partitions/linux/checkconfig.py $(LNX_FRAG) $@

# Our channel driver (skchan.c, GPL-2.0) is built into the Image: the
# files are copied into drivers/misc/ of the extracted tree, which gets one
# `obj-y += skchan.o` line; kbuild then recompiles only what changed.
LNX_MISC := $(LNX_SRC)/drivers/misc
LNX_DRV	:= $(LNX_MISC)/skchan.c $(LNX_MISC)/skchan.h $(LNX_MISC)/sk_abi.h

$(LNX_MISC)/skchan.c $(LNX_MISC)/skchan.h: $(LNX_MISC)/%: partitions/linux/% $(LNX)/.extracted
	$(Q)cp $< $@

$(LNX_MISC)/sk_abi.h: sbi/sk_abi.h $(LNX)/.extracted
	$(Q)cp $< $@

$(LNX)/.skchan: $(LNX)/.extracted
	$(Q)grep -q '^obj-y += skchan.o' $(LNX_MISC)/Makefile || \
		echo 'obj-y += skchan.o' >> $(LNX_MISC)/Makefile
	$(Q)touch $@

$(B)/partitions/linux.Image: $(LNX_OBJ)/.config $(LNX_DRV) $(LNX)/.skchan
	@echo "  LINUX   $@ (a few minutes, once)"
	$(Q)$(LNX_MAKE) -j$(JOBS) Image >$(LNX)/build.log 2>&1 || \
		{ tail -30 $(LNX)/build.log; exit 1; }
	$(Q)mkdir -p $(dir $@)
	$(Q)cp $(LNX_OBJ)/arch/riscv/boot/Image $@

$(LNX)/init: partitions/linux/init.c partitions/linux/usys.h
	@mkdir -p $(dir $@)
	@echo "  INIT    $@"
	$(Q)$(LNX_CROSS)gcc -static -nostdlib -ffreestanding -fno-builtin -O2 \
		-Wall -Wextra -Werror -Wl,--build-id=none -o $@ $<

$(B)/partitions/linux.cpio: $(LNX)/init partitions/linux/mkcpio.py
	@echo "  CPIO    $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(PY) partitions/linux/mkcpio.py $@ $(LNX)/init

# The gateway demo's initramfs: /init is skctl (partitions/linux/skctl.c),
# the Linux side of configs/gateway.toml and of harness/test_gateway.py.
$(LNX)/skctl: partitions/linux/skctl.c partitions/linux/skchan.h partitions/linux/usys.h
	@mkdir -p $(dir $@)
	@echo "  SKCTL   $@"
	$(Q)$(LNX_CROSS)gcc -static -nostdlib -ffreestanding -fno-builtin -O2 \
		-Wall -Wextra -Werror -Wl,--build-id=none -o $@ $<

$(B)/partitions/gateway.cpio: $(LNX)/skctl partitions/linux/mkcpio.py
	@echo "  CPIO    $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(PY) partitions/linux/mkcpio.py $@ $(LNX)/skctl

LNX_OUT	:= $(B)/partitions/linux.Image $(B)/partitions/linux.cpio \
	   $(B)/partitions/gateway.cpio
linux: $(LNX_OUT)

.PHONY: linux
