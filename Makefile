# sepkernel - build, run and test partitioned systems.
#
#   make run  [CONFIG=configs/x.toml]   build the system and boot it on QEMU
#   make test                           build everything, run the scenario suite
#   make check CONFIG=...               validate a configuration only
#   make image CONFIG=...               build build/<system>/image.elf
#   make deps                           install missing Debian packages

CONFIG	?= configs/demo.toml
SYS	:= $(basename $(notdir $(CONFIG)))
B	:= build
OUT	:= $(B)/$(SYS)
PY	:= /usr/bin/python3
CROSS	:= riscv64-unknown-elf-
CC	:= $(CROSS)gcc
FW	:= /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
QEMU	:= qemu-system-riscv64
JOBS	?= 2
V	?= 0
Q	:= $(if $(filter 1,$(V)),,@)

# ---- the kernel -----------------------------------------------------------
KCFLAGS	:= -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany \
	   -ffreestanding -nostdlib -fno-builtin -fno-tree-loop-distribute-patterns \
	   -fno-stack-protector -fno-pic -O2 -flto -g -Wall -Wextra -Werror \
	   -Isepkernel/include -Isepkernel -Isbi
KSRC	:= $(wildcard sepkernel/arch/riscv/*.S sepkernel/arch/riscv/*.c \
	   sepkernel/core/*.c sepkernel/drivers/*.c sepkernel/crypto/*.c) \
	   sbi/vsbi.c sbi/vsbi_os.c sbi/sbi_call.c
KOBJ	:= $(patsubst %,$(B)/kernel/%.o,$(KSRC))
KHDR	:= $(wildcard sepkernel/include/*/*.h sepkernel/crypto/*.h sbi/*.h) Makefile

# Code that runs once per boot (the Ed25519 check), only to print an event
# line (fmt.c) or for a refusal (audit.c) is built for size: none of it is
# on a hot path.
KCOLD	:= $(addprefix sepkernel/crypto/,ed25519.c ge25519.c fe25519.c sc25519.c sha512.c) \
	   sepkernel/core/fmt.c sepkernel/core/audit.c

$(B)/kernel/%.c.o: %.c $(KHDR)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KCFLAGS) $(if $(filter $<,$(KCOLD)),-Os) -c $< -o $@

$(B)/kernel/%.S.o: %.S $(KHDR)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

# ---- partition programs (one folder each under partitions/) ---------------
PCFLAGS	:= --specs=picolibc.specs -misa-spec=2.2 -march=rv64imac -mabi=lp64 \
	   -mcmodel=medany -O2 -g -Wall -Wextra -Werror \
	   -Ipartitions/sdk/include -Isbi -nostartfiles \
	   -Tpartitions/sdk/partition.ld -Wl,--no-warn-rwx-segments
SDK	:= $(wildcard partitions/sdk/*.c partitions/sdk/*.S)
SDKHDR	:= $(wildcard partitions/sdk/include/*.h) sbi/sk_abi.h partitions/sdk/partition.ld
PROGS	:= $(filter-out sdk linux,$(notdir $(patsubst %/,%,$(dir $(wildcard partitions/*/*.c)))))
PELF	:= $(patsubst %,$(B)/partitions/%.elf,$(PROGS))

$(B)/partitions/%.elf: partitions/%/*.c $(SDK) $(SDKHDR)
	@mkdir -p $(dir $@)
	@echo "  PART    $@"
	$(Q)$(CC) $(PCFLAGS) $(SDK) $(wildcard partitions/$*/*.c partitions/$*/*.S) -o $@

partitions: $(PELF)

# ---- Linux for a partition (make linux) -----------------------------------
include partitions/linux/linux.mk

# ---- signing keys -----------------------------------------------------------
# Every package is signed; the kernel embeds only the public key.  The
# default is a DEVELOPMENT key made on first use; for a real key kept
# outside the tree: make image SK_KEY=/path/to/key.pem (or a .pub file
# with SK_PUBKEY=, signing the packages elsewhere).
SIGN	:= $(PY) tools/sksign.py
DEV_KEY	:= keys/dev-signing-key.pem
SK_KEY	?= $(DEV_KEY)
SK_PUBKEY ?= $(SK_KEY)

keys:
	$(SIGN) keygen --out keys

$(DEV_KEY):
	@echo "  KEYGEN  $@ (a DEVELOPMENT key: see README, Signed images)"
	$(Q)$(SIGN) keygen --out keys >/dev/null

# ---- a system: config -> tables + packages -> image.elf -------------------
SKC	:= $(PY) tools/skc.py
SKC_SRC	:= $(wildcard tools/skc.py tools/skc/*.py dts/*.in)

# A system that boots our Linux depends on it (built by `make linux`).
LNX_USED := $(if $(shell grep -s 'linux\.Image\|linux\.cpio' $(CONFIG)),linux)

$(OUT)/system.c: $(CONFIG) $(PELF) $(SKC_SRC) $(if $(LNX_USED),$(LNX_OUT))
	$(Q)$(SKC) $(CONFIG) --out $(OUT) --search $(B)/partitions

# Every file the compiler read (images next to the config, initrds...),
# written by skc: an image rebuilt anywhere rebuilds the system.
-include $(OUT)/system.d

$(OUT)/signed: $(OUT)/system.c $(if $(filter $(DEV_KEY),$(SK_KEY)),$(DEV_KEY),$(wildcard $(SK_KEY)))
	@echo "  SIGN    $(OUT)/*.pkg"
	$(Q)$(SIGN) sign --key $(SK_KEY) $(OUT)/*.pkg > $(OUT)/signing.log
	$(Q)touch $@

$(OUT)/image.elf: $(OUT)/signed $(KOBJ) sepkernel/arch/riscv/kernel.ld $(wildcard $(SK_PUBKEY))
	@echo "  LD      $@"
	$(Q)$(SIGN) verify --key $(SK_PUBKEY) $(OUT)/*.pkg
	$(Q)$(SIGN) pubkey-c --key $(SK_PUBKEY) --out $(OUT)/pubkey.c >/dev/null
	$(Q)$(CC) $(KCFLAGS) -c $(OUT)/system.c -o $(OUT)/system.o
	$(Q)$(CC) $(KCFLAGS) -c $(OUT)/pubkey.c -o $(OUT)/pubkey.o
	$(Q)$(CC) $(KCFLAGS) -c $(OUT)/blobs.S -o $(OUT)/blobs.o
	$(Q)$(CC) $(KCFLAGS) -Wl,--no-warn-rwx-segments -Tsepkernel/arch/riscv/kernel.ld $(KOBJ) \
		$(OUT)/system.o $(OUT)/pubkey.o $(OUT)/blobs.o -o $@
	@$(CROSS)size -A $@ | awk '/^\.text/ {print "kernel text: " $$2 " bytes"}'

image: $(OUT)/image.elf

# Boot halted under QEMU's gdb stub (a free port) and attach gdb-multiarch
# with the kernel's symbols and PART's; `pbreak LOC` stops in PART only.
PART	?=
debug: deps $(OUT)/image.elf
	$(PY) tools/skdebug.py --layout $(OUT)/layout.json --image $(OUT)/image.elf \
		$(if $(PART),--part $(PART)) $(if $(GDB_BATCH),--batch $(GDB_BATCH))

# A picture of the built system: build/<sys>/report.html (HTML + SVG).
report: $(OUT)/image.elf
	$(Q)$(PY) tools/report.py $(OUT)
	@echo "  REPORT  $(OUT)/report.html"

check: $(PELF)
	$(SKC) $(CONFIG) --out $(OUT) --search $(B)/partitions --check

# QEMU counts instructions (1 ns each) so a run is deterministic and shows
# exactly what the scenarios check; ICOUNT= runs in host time instead.
ICOUNT	?= -icount shift=0,sleep=off
run: deps $(OUT)/image.elf
	@echo "booting $(OUT)/image.elf (Ctrl-A X quits QEMU)"
	$(QEMU) -M virt $$(cat $(OUT)/qemu.args) -nographic -bios $(FW) \
		$(ICOUNT) -kernel $(OUT)/image.elf

# Every shipped system, built (the suite boots them).
SYSTEMS	:= $(wildcard configs/*.toml harness/systems/*.toml)
images: $(PELF) $(KOBJ) linux
	@for c in $(SYSTEMS); do $(MAKE) --no-print-directory image CONFIG=$$c || exit 1; done

test: deps images
	$(PY) -m pytest -n $(JOBS) harness

bench: deps partitions linux
	$(PY) bench/run.py

# The fuzzer for as long as asked (system time): not part of make test.
SOAK_SECONDS ?= 60
SOAK_SEED ?= 1
soak: deps partitions $(KOBJ)
	SOAK_SECONDS=$(SOAK_SECONDS) SOAK_SEED=$(SOAK_SEED) $(PY) harness/soak.py

# ---- the SDK: build systems outside this tree ------------------------------
# make sdk [SDK_DIR=...] installs headers, the SDK objects, the linker
# script, the kernel objects, the config compiler, signer and tools and
# a make fragment (sdk.mk) that a project's two-line Makefile includes.
SDK_DIR	?= $(B)/sdk
comma	:= ,
SDKOBJ	:= $(patsubst partitions/sdk/%,$(B)/sdkobj/%.o,$(SDK))
SDK_NOTFLAGS := -I% -T% -nostartfiles -Wl$(comma)% -Werror
SDK_PCFLAGS := $(filter-out $(SDK_NOTFLAGS),$(PCFLAGS))
SDK_KFLAGS := $(filter-out -I%,$(KCFLAGS))
SDK_KNAME = $(subst /,_,$(patsubst $(B)/kernel/%,%,$(1)))
SDK_TOOLS := tools/skc.py tools/sksign.py tools/timeline.py tools/report.py tools/skdebug.py

$(B)/sdkobj/%.o: partitions/sdk/% $(SDKHDR)
	@mkdir -p $(dir $@)
	@echo "  SDK     $<"
	$(Q)$(CC) $(SDK_PCFLAGS) -Ipartitions/sdk/include -Isbi -c $< -o $@

sdk: $(SDKOBJ) $(KOBJ) $(SDK_TOOLS) $(SKC_SRC) tools/sdk/sdk.mk docs/SDK.md
	@echo "  SDK     $(SDK_DIR)"
	$(Q)rm -rf $(SDK_DIR) && mkdir -p $(SDK_DIR)/include $(SDK_DIR)/lib \
		$(SDK_DIR)/tools/skc $(SDK_DIR)/dts $(SDK_DIR)/kernel/obj $(SDK_DIR)/template
	$(Q)cp partitions/sdk/include/*.h sbi/sk_abi.h $(SDK_DIR)/include/
	$(Q)cp $(SDKOBJ) partitions/sdk/partition.ld $(SDK_DIR)/lib/
	$(Q)cp -r partitions/sdk $(SDK_DIR)/src
	$(Q)cp $(SDK_TOOLS) $(SDK_DIR)/tools/ && cp tools/skc/*.py $(SDK_DIR)/tools/skc/
	$(Q)cp dts/*.in $(SDK_DIR)/dts/
	$(Q)cp -r sepkernel/include $(SDK_DIR)/kernel/include && cp sbi/*.h $(SDK_DIR)/kernel/include/
	$(Q)cd sepkernel && cp --parents $$(find . -name '*.h' -not -path './include/*') \
		$(abspath $(SDK_DIR))/kernel/include/
	$(Q)cp sepkernel/arch/riscv/kernel.ld $(SDK_DIR)/kernel/
	$(Q)$(foreach o,$(KOBJ),cp $(o) $(SDK_DIR)/kernel/obj/$(call SDK_KNAME,$(o)) &&) true
	$(Q)cp tools/sdk/sdk.mk docs/SDK.md $(SDK_DIR)/ && cp -r tools/sdk/template/. $(SDK_DIR)/template/
	$(Q){ echo "# Generated by make sdk from sepkernel $$(git describe --always --dirty 2>/dev/null)"; \
	  echo "SK_PCFLAGS := $(SDK_PCFLAGS)"; \
	  echo "SK_KFLAGS := $(SDK_KFLAGS)"; \
	  echo "SK_KOBJ := $(foreach o,$(KOBJ),\$$(SK_SDK)/kernel/obj/$(call SDK_KNAME,$(o)))"; \
	} > $(SDK_DIR)/sdk-config.mk
	@echo "SDK in $(SDK_DIR): a project's Makefile is 'SDK ?= $(abspath $(SDK_DIR))' and 'include \$$(SDK)/sdk.mk'"

# make new-system NAME=mysys [DIR=..]: a project folder from the template,
# built against this tree's SDK (made first).
DIR	?= .
new-system: sdk
	@test -n "$(NAME)" || { echo "usage: make new-system NAME=mysys [DIR=parent]"; exit 2; }
	@echo "$(NAME)" | grep -Eq '^[a-z][a-z0-9_]*$$' || { echo "NAME=$(NAME): use lower-case letters, digits and _ (it names the system)"; exit 2; }
	@test ! -e "$(DIR)/$(NAME)" || { echo "$(DIR)/$(NAME) exists: choose another NAME or DIR"; exit 2; }
	@mkdir -p "$(DIR)/$(NAME)" && cp -r tools/sdk/template/. "$(DIR)/$(NAME)/"
	@mv "$(DIR)/$(NAME)/system.toml" "$(DIR)/$(NAME)/$(NAME).toml"
	@sed -i 's|@NAME@|$(NAME)|g; s|@SDK@|$(abspath $(SDK_DIR))|g' \
		"$(DIR)/$(NAME)/Makefile" "$(DIR)/$(NAME)/$(NAME).toml"
	@echo "created $(DIR)/$(NAME): cd $(DIR)/$(NAME) && make run"

deps:
	@tools/install-deps.sh

clean:
	rm -rf $(B)

.PHONY: partitions image check run images test bench soak deps clean keys sdk new-system report debug
