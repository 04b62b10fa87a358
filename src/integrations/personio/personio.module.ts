import { Module } from '@nestjs/common';

/** Personio → awork absence sync. Reaches awork only through AworkHostPort. */
@Module({})
export class PersonioModule {}
