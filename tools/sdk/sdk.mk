# sdk.mk - build and run a sepkernel system outside the sepkernel tree.
#
# A project is a folder with its configuration (one *.toml), one folder
# per program (hello/main.c ...) and a Makefile of two lines:
#
#     SDK ?= /path/to/sepkernel-sdk
#     include $(SDK)/sdk.mk
#
#   make            build build/<system>/image.elf (programs, tables, signatures)
#   make run        build it and boot it on QEMU (Ctrl-A X quits)
#   make check      validate the configuration only
#   make debug [PART=name]   boot it halted under gdb (see README of the SDK)
#   make report     build/<system>/report.html: a picture of the system
#   make clean
#
# Variables: CONFIG (default: the only *.toml here), PROGRAMS (default:
# every folder holding a .c file), SK_KEY (signing key; default a
# development key made in keys/), CFLAGS_EXTRA, ICOUNT, V=1.

SK_SDK	:= $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
include $(SK_SDK)/sdk-config.mk

CONFIG	?= $(firstword $(wildcard *.toml))
ifeq ($(CONFIG),)
$(error no *.toml here: write the system's configuration, or set CONFIG=)
endif
SYS	:= $(basename $(notdir $(CONFIG)))
B	?= build
OUT	:= $(B)/$(SYS)
PY	?= /usr/bin/python3
CROSS	?= riscv64-unknown-elf-
CC	:= $(CROSS)gcc
FW	?= /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
QEMU	?= qemu-system-riscv64
ICOUNT	?= -icount shift=0,sleep=off
V	?= 0
Q	:= $(if $(filter 1,$(V)),,@)

# ---- programs: one folder each, linked at guest-physical 0x80000000 -----
PROGRAMS ?= $(filter-out $(B),$(sort $(patsubst %/,%,$(dir $(wildcard */*.c)))))
PELF	:= $(patsubst %,$(B)/%.elf,$(PROGRAMS))
SK_LIBOBJ := $(wildcard $(SK_SDK)/lib/*.o)
SK_CFLAGS := $(SK_PCFLAGS) -I$(SK_SDK)/include -nostartfiles \
	     -T$(SK_SDK)/lib/partition.ld -Wl,--no-warn-rwx-segments $(CFLAGS_EXTRA)

$(B)/%.elf: %/*.c $(SK_LIBOBJ) $(wildcard $(SK_SDK)/include/*.h)
	@mkdir -p $(dir $@)
	@echo "  PROG    $@"
	$(Q)$(CC) $(SK_CFLAGS) $(SK_LIBOBJ) $(wildcard $*/*.c $*/*.S) -o $@

programs: $(PELF)

# ---- keys ------------------------------------------------------------------
SIGN	:= $(PY) $(SK_SDK)/tools/sksign.py
DEV_KEY	:= keys/dev-signing-key.pem
SK_KEY	?= $(DEV_KEY)
SK_PUBKEY ?= $(SK_KEY)

$(DEV_KEY):
	@echo "  KEYGEN  $@ (a DEVELOPMENT key)"
	$(Q)$(SIGN) keygen --out keys >/dev/null

# ---- the system --------------------------------------------------------------
SKC	:= $(PY) $(SK_SDK)/tools/skc.py

$(OUT)/system.c: $(CONFIG) $(PELF)
	$(Q)$(SKC) $(CONFIG) --out $(OUT) --search $(B)

# every input the compiler read: nothing boots stale
-include $(OUT)/system.d

$(OUT)/signed: $(OUT)/system.c $(if $(filter $(DEV_KEY),$(SK_KEY)),$(DEV_KEY),$(wildcard $(SK_KEY)))
	@echo "  SIGN    $(OUT)/*.pkg"
	$(Q)$(SIGN) sign --key $(SK_KEY) $(OUT)/*.pkg > $(OUT)/signing.log
	$(Q)touch $@

SK_KFLAGS_ALL := $(SK_KFLAGS) -I$(SK_SDK)/kernel/include -I$(SK_SDK)/include
$(OUT)/image.elf: $(OUT)/signed $(wildcard $(SK_PUBKEY)) $(SK_KOBJ)
	@echo "  LD      $@"
	$(Q)$(SIGN) verify --key $(SK_PUBKEY) $(OUT)/*.pkg
	$(Q)$(SIGN) pubkey-c --key $(SK_PUBKEY) --out $(OUT)/pubkey.c >/dev/null
	$(Q)$(CC) $(SK_KFLAGS_ALL) -c $(OUT)/system.c -o $(OUT)/system.o
	$(Q)$(CC) $(SK_KFLAGS_ALL) -c $(OUT)/pubkey.c -o $(OUT)/pubkey.o
	$(Q)$(CC) $(SK_KFLAGS_ALL) -c $(OUT)/blobs.S -o $(OUT)/blobs.o
	$(Q)$(CC) $(SK_KFLAGS_ALL) -Wl,--no-warn-rwx-segments -T$(SK_SDK)/kernel/kernel.ld \
		$(SK_KOBJ) $(OUT)/system.o $(OUT)/pubkey.o $(OUT)/blobs.o -o $@

image: $(OUT)/image.elf
all: image

check: $(PELF)
	$(SKC) $(CONFIG) --out $(OUT) --search $(B) --check

run: $(OUT)/image.elf
	@echo "booting $(OUT)/image.elf (Ctrl-A X quits QEMU)"
	$(QEMU) -M virt $$(cat $(OUT)/qemu.args) -nographic -bios $(FW) \
		$(ICOUNT) -kernel $(OUT)/image.elf

PART	?=
debug: $(OUT)/image.elf
	$(PY) $(SK_SDK)/tools/skdebug.py --image $(OUT)/image.elf --layout $(OUT)/layout.json \
		--search $(B) $(if $(PART),--part $(PART)) $(if $(GDB_BATCH),--batch $(GDB_BATCH))

report: $(OUT)/image.elf
	$(PY) $(SK_SDK)/tools/report.py $(OUT)
	@echo "  REPORT  $(OUT)/report.html"

clean:
	rm -rf $(B)

.DEFAULT_GOAL := image
.PHONY: all image programs check run debug report clean
