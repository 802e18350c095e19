# KVM probe boot sector (assembled by scripts/assemble-kvm-probe into kvm-probe-boot.bin).
#
# Booted by SeaBIOS from a floppy with `-accel kvm -no-reboot`. It does what a real guest kernel
# does early (real mode -> long mode with paging, then a loop of arithmetic) and reports on COM1:
# "KVMPROBE-OK" when the sum 1..10^7 came out right. It then triple-faults on purpose (empty IDT
# + int3), which makes QEMU exit under -no-reboot. A broken nested KVM (no vmx/svm passed through)
# hangs or resets before printing anything; that is what KvmProbe detects.
.code16
.globl _start
_start:
  cli
  xor %ax, %ax
  mov %ax, %ds
  mov %ax, %es
  mov %ax, %ss
  mov $0x7c00, %sp
  mov $0x3f8, %dx
  mov $'R', %al
  out %al, %dx
  in $0x92, %al
  or $2, %al
  and $0xfe, %al
  out %al, $0x92
  mov $0x1000, %di
  mov $0x1800, %cx
  xor %ax, %ax
  rep stosw
  movl $0x2003, 0x1000
  movl $0x3003, 0x2000
  movl $0x83, 0x3000
  lgdtl gdtr
  mov %cr4, %eax
  or $0x20, %eax
  mov %eax, %cr4
  mov $0x1000, %eax
  mov %eax, %cr3
  mov $0xC0000080, %ecx
  rdmsr
  or $0x100, %eax
  wrmsr
  mov %cr0, %eax
  or $0x80000001, %eax
  mov %eax, %cr0
  ljmp $0x08, $long_mode
.code64
long_mode:
  mov $0x10, %ax
  mov %ax, %ds
  mov %ax, %es
  mov %ax, %ss
  mov $0x3f8, %dx
  mov $'L', %al
  out %al, %dx
  xor %rax, %rax
  mov $10000000, %rcx
1:
  add %rcx, %rax
  dec %rcx
  jnz 1b
  mov $50000005000000, %rbx
  cmp %rbx, %rax
  jne fail
  lea ok(%rip), %rsi
  jmp print
fail:
  lea bad(%rip), %rsi
print:
  lodsb
  test %al, %al
  jz done
  out %al, %dx
  jmp print
done:
  lidt null_idt(%rip)
  int3
  hlt
ok: .asciz "\nKVMPROBE-OK\n"
bad: .asciz "\nKVMPROBE-BAD\n"
.p2align 3
gdt:
  .quad 0
  .quad 0x00209A0000000000
  .quad 0x0000920000000000
gdtr:
  .word gdtr - gdt - 1
  .long gdt
null_idt:
  .word 0
  .quad 0
. = _start + 510
  .byte 0x55, 0xaa
