import { Equals, IsOptional, IsString } from 'class-validator';

/** Messages that travel in both directions (miner-protocol.md §5.3). */

export class GenericError {
  @Equals('GenericError') readonly message_type = 'GenericError' as const;
  @IsOptional() @IsString() details?: string | null = null;
}

export class V0MainHotkeyMessage {
  @Equals('V0MainHotkeyMessage') readonly message_type = 'V0MainHotkeyMessage' as const;
  @IsOptional() @IsString() main_hotkey?: string | null = null;
}
